import { describe, expect, it } from 'vitest';
import { overlayPending, type PendingOverlayOptions } from './pending-overlay.js';
import type { OutboxEntry, OutboxEntryState } from './types.js';

interface Note {
  id: string;
  title: string;
}
type NoteWrite = { op: 'put'; id: string; title: string } | { op: 'delete'; id: string };

let seq = 0;
function entry(payload: unknown, state: OutboxEntryState = 'pending', type = 'note'): OutboxEntry {
  const n = ++seq;
  return {
    id: `e${String(n)}`,
    type,
    payload,
    channel: 'default',
    idempotencyKey: `k${String(n)}`,
    state,
    attempts: 0,
    createdAt: n,
    nextAttemptAt: n,
  };
}
const put = (id: string, title: string, state?: OutboxEntryState) => entry({ op: 'put', id, title }, state);
const del = (id: string, state?: OutboxEntryState) => entry({ op: 'delete', id }, state);

const notes: PendingOverlayOptions<Note, NoteWrite> = {
  type: 'note',
  id: (note) => note.id,
  apply: (_note, write) => (write.op === 'delete' ? undefined : { id: write.id, title: write.title }),
};
const server: Note[] = [
  { id: 'a', title: 'A' },
  { id: 'b', title: 'B' },
];
const shown = (o: { items: Note[] }) => o.items.map((n) => `${n.id}:${n.title}`);

describe('overlayPending', () => {
  it('appends creates in enqueue order, replaces updates in place and removes deletes', () => {
    const o = overlayPending(server, [put('c', 'C'), put('a', 'A2'), del('b'), put('d', 'D')], notes);
    expect(shown(o)).toEqual(['a:A2', 'c:C', 'd:D']);
    expect([...o.pending].sort()).toEqual(['a', 'c', 'd']);
  });

  it('applies several writes to one id in order, each to what the one before left', () => {
    const titles: string[] = [];
    const o = overlayPending(server, [put('a', 'one'), put('a', 'two'), del('a'), put('a', 'three')], {
      ...notes,
      apply: (note, write, e) => {
        titles.push(`${note?.title ?? '-'}→${write.op}@${String(e.createdAt)}`);
        return notes.apply(note, write, e);
      },
    });
    expect(titles.map((t) => t.replace(/@\d+/, ''))).toEqual(['A→put', 'one→put', 'two→delete', '-→put']);
    // Deleted and created again: the note is new, at the end.
    expect(shown(o)).toEqual(['b:B', 'a:three']);
    expect([...o.pending]).toEqual(['a']);
  });

  it('leaves out entries of other types, and dead ones unless asked', () => {
    const entries = [
      entry({ op: 'put', id: 'a', title: 'other' }, 'pending', 'photo'),
      put('b', 'refused', 'dead'),
    ];
    const o = overlayPending(server, entries, notes);
    expect(shown(o)).toEqual(['a:A', 'b:B']);
    expect(o.pending.size).toBe(0);
    // With includeDead, apply sees the dead write and marks it; it is not "pending" (it waits for nobody).
    const marked = overlayPending(server, entries, {
      ...notes,
      includeDead: true,
      apply: (note, write, e) =>
        write.op === 'put'
          ? { id: write.id, title: e.state === 'dead' ? `${write.title}!` : write.title }
          : note,
    });
    expect(shown(marked)).toEqual(['a:A', 'b:refused!']);
    expect(marked.pending.size).toBe(0);
  });

  it('counts in-flight writes, and an item waiting for one write stays pending after a dead one', () => {
    const o = overlayPending(server, [put('a', 'sending', 'in-flight'), put('a', 'refused', 'dead')], {
      ...notes,
      includeDead: true,
    });
    expect(shown(o)).toEqual(['a:refused', 'b:B']);
    expect([...o.pending]).toEqual(['a']);
  });

  it('takes several types, ids from idOf, and creates whose id only apply knows', () => {
    type Write = { noteId?: string; title: string };
    const create = entry({ title: 'new' }, 'pending', 'note.create');
    const o = overlayPending<Note, Write>(
      server,
      [
        create,
        entry({ noteId: 'b', title: 'B2' }, 'pending', 'note.rename'),
        entry({ noteId: 'zz', title: 'gone' }, 'pending', 'note.rename'),
      ],
      {
        type: ['note.create', 'note.rename'],
        id: (note) => note.id,
        idOf: (write) => write.noteId,
        apply: (note, write, e) =>
          e.type === 'note.create'
            ? { id: `local-${e.id}`, title: write.title }
            : note && { ...note, title: write.title },
      },
    );
    // A rename of a note not in the list (deleted on the server meanwhile) adds nothing.
    expect(shown(o)).toEqual(['a:A', 'b:B2', `local-${create.id}:new`]);
    expect([...o.pending].sort()).toEqual(['b', `local-${create.id}`]);
  });

  it('changes neither the list nor the entries, and gives the list as it is with no writes', () => {
    const before = structuredClone(server);
    const entries = [put('a', 'A2')];
    const frozen = structuredClone(entries);
    overlayPending(server, entries, notes);
    expect(server).toEqual(before);
    expect(entries).toEqual(frozen);
    const none = overlayPending(server, [], notes);
    expect(none.items).toEqual(server);
    expect(none.pending.size).toBe(0);
  });
});
