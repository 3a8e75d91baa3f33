import { useId, useState } from 'react';

/**
 * The lighter search, used while live search is off (degradation `minimal` and above, whatever
 * the cause: no network, a struggling server, a predicted failure): it searches the notes
 * already on screen, and only when asked, so typing costs nothing.
 */
export function SearchOnEnter({ query, onQuery }: { query: string; onQuery: (query: string) => void }) {
  const id = useId();
  const [text, setText] = useState(query);
  return (
    <form
      className="search"
      role="search"
      data-feature="live-search"
      data-mode="on-enter"
      onSubmit={(event) => {
        event.preventDefault();
        onQuery(text);
      }}
    >
      <label htmlFor={id}>Search notes</label>
      <div className="inline-field">
        <input
          id={id}
          type="search"
          placeholder="Press Enter to search"
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
        <button type="submit">Search</button>
      </div>
      <p className="hint">Live search is paused for now: press Enter to search the notes on screen.</p>
    </form>
  );
}
