import { useProtection } from '@bulletproof/react';
import { useEffect, useState } from 'react';
import { describeEvent, type LogLine } from './describe-event.js';
import { timeOfDay } from './format.js';

const KEEP = 80;

interface Entry extends LogLine {
  id: number;
  at: number;
  /** The same line again and again (a list refresh failing every second) is one entry with a count. */
  count: number;
}

/** A live log of what the SDK does, newest first, straight from `protection.events$`. */
export function EventLog() {
  const protection = useProtection();
  const [entries, setEntries] = useState<Entry[]>([]);

  useEffect(() => {
    let seq = 0;
    // Connectivity snapshots change with every round-trip measurement, and degradation with
    // every change of its reasons: log only changes of status and of level.
    let lastConnection = '';
    let lastLevel = '';
    const subscription = protection.events$.subscribe((event) => {
      if (event.type === 'connectivity') {
        const key = `${event.snapshot.status}/${event.snapshot.quality}`;
        if (key === lastConnection) return;
        lastConnection = key;
      }
      if (event.type === 'degradation') {
        if (event.state.level === lastLevel) return;
        lastLevel = event.state.level;
      }
      const line = describeEvent(event);
      if (!line) return;
      const at = Date.now();
      setEntries((list) => {
        const [latest, ...rest] = list;
        if (latest?.text === line.text) return [{ ...latest, at, count: latest.count + 1 }, ...rest];
        return [{ ...line, id: ++seq, at, count: 1 }, ...list].slice(0, KEEP);
      });
    });
    return () => subscription.unsubscribe();
  }, [protection]);

  return (
    <div className="card event-log">
      <h3>Event log</h3>
      {entries.length === 0 ? (
        <p className="hint">Nothing yet. Save a note or try a chaos preset.</p>
      ) : (
        <ol aria-label="Events, newest first" data-testid="event-log">
          {entries.map((e) => (
            <li key={e.id} data-tone={e.tone} data-topic={e.topic}>
              <time>{timeOfDay(e.at)}</time> {e.text}
              {e.count > 1 && <span className="repeat"> ×{e.count}</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
