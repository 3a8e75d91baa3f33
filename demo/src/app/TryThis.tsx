import { useState } from 'react';

const KEY = 'field-notes:guide-open';

function initiallyOpen(): boolean {
  try {
    return localStorage.getItem(KEY) !== 'false';
  } catch {
    return true;
  }
}

/**
 * A newcomer's guide: six things to try, each one sentence, in the order that tells the
 * story. Open on a first visit; once folded it stays folded.
 */
export function TryThis() {
  const [open] = useState(initiallyOpen);
  return (
    <details
      className="try-this panel"
      open={open}
      onToggle={(event) => {
        try {
          localStorage.setItem(KEY, String(event.currentTarget.open));
        } catch {
          // Not remembered: it opens again next time.
        }
      }}
    >
      <summary>
        <h2>Try this</h2>
      </summary>
      <ol>
        <li>
          <strong>Write a note</strong> and save it. Close the tab halfway through the next one: the draft
          comes back.
        </li>
        <li>
          <strong>Lose the network</strong> (DevTools → Network → Offline) and save two notes. They wait on
          this device — reload: the app still opens.
        </li>
        <li>
          <strong>Come back online</strong>: “All 2 changes synced”, and the server counts each write once.
        </li>
        <li>
          <strong>Slow decline</strong>: keep working. The app predicts the failure and simplifies search
          before anything fails.
        </li>
        <li>
          <strong>Server meltdown</strong>: saves still land (in the outbox), the breaker opens, photos turn
          into links. Rage-click a slow Save and watch the risk rise.
        </li>
        <li>
          <strong>Two tabs</strong>, or <strong>close the tab</strong> while offline: nothing is sent twice,
          and nothing is lost.
        </li>
      </ol>
    </details>
  );
}
