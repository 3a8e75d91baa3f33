import type { ExecutionContext } from '@bulletproof/core';
import { useBulletproof, usePendingOverlay, useProtection } from '@bulletproof/react';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Note } from '../../server/note.js';
import { DEPENDENCIES } from '../app/dependencies.js';
import { useDemo } from '../app/demo-context.js';
import { notesCopy } from './note-cache.js';
import { fetchNotes } from './notes-api.js';
import { localWriteOf, newestFirst, NOTE_WRITES, type ShownNote } from './local-writes.js';

/** Where the list on screen came from: the server just now, or the copy kept on this device. */
export type NotesSource = 'server' | 'device' | 'none';

export interface NotesView {
  notes: ShownNote[];
  source: NotesSource;
  /** When the list was last confirmed by the server (epoch ms). */
  syncedAt?: number;
  loading: boolean;
  /** The last load failed with no copy on this device to show instead. */
  failed: boolean;
  refresh: () => void;
  /** A fresh list from the server, fetched elsewhere (live search), by a request started at `startedAt`. */
  acceptServerList: (notes: Note[], startedAt: number) => void;
  /** The server confirmed a save or a delete: show it without waiting for the next refresh. */
  confirmSaved: (note: Note) => void;
  confirmDeleted: (id: string) => void;
}

/**
 * The notes list: loaded through the `notes-read` dependency with the last good list as
 * its fallback, refreshed while the page is visible, and overlaid with the writes still in
 * the outbox, so a note saved offline is on screen (marked "waiting to sync") until the
 * server has it — across reloads too, since the outbox is stored on the device.
 */
export function useNotes(): NotesView {
  const protection = useProtection();
  const { settings } = useDemo();
  const [server, setServer] = useState<{
    notes: Note[];
    source: NotesSource;
    syncedAt?: number;
    failed?: boolean;
  }>(() => {
    const saved = notesCopy.recall();
    return saved
      ? { notes: saved.value, source: 'device', syncedAt: saved.savedAt }
      : { notes: [], source: 'none' };
  });

  const load = useBulletproof(
    'load-notes',
    function (this: ExecutionContext) {
      return fetchNotes(this.signal);
    },
    // Every list loaded is saved on the device; a load that fails shows the saved copy. A
    // cancelled load serves nothing. `silent`: the line above the list says where it came from
    // (the saved copy and its time, or that the load failed) — a toast would say it twice.
    { dependency: DEPENDENCIES.read, fallback: notesCopy, silent: true },
  );
  const serverNotes = useRef(server.notes);
  useEffect(() => {
    serverNotes.current = server.notes;
  }, [server.notes]);
  // The load in flight, if any: one at a time. A token rather than a flag, so a load the
  // view abandoned (it unmounted, and the call was aborted) cannot clear the guard of the
  // load that replaced it.
  const running = useRef<object | undefined>(undefined);
  const { run } = load;

  // Saves and deletes the server confirmed, by when: a list whose request started earlier
  // cannot know them yet, and must not make a just-synced note vanish for a moment.
  const confirmations = useRef(new Map<string, { at: number; note?: Note }>());

  const acceptServerList = useCallback((list: Note[], startedAt: number) => {
    const notes = new Map(list.map((n) => [n.id, n]));
    for (const [id, confirmed] of confirmations.current) {
      if (confirmed.at < startedAt) confirmations.current.delete(id);
      else if (confirmed.note) notes.set(id, confirmed.note);
      else notes.delete(id);
    }
    const now = Date.now();
    const merged = [...notes.values()];
    notesCopy.remember(merged);
    setServer({ notes: merged, source: 'server', syncedAt: now });
  }, []);

  const refresh = useCallback(() => {
    if (running.current) return;
    const token = {};
    running.current = token;
    const startedAt = Date.now();
    void run()
      .then((result) => {
        if (result.status === 'ok') {
          acceptServerList(result.value, startedAt);
        } else if (result.status === 'fallback') {
          setServer((s) => ({
            notes: result.value,
            source: 'device',
            syncedAt: result.savedAt ?? s.syncedAt,
          }));
        } else if (result.status === 'failed') {
          setServer((s) => ({ ...s, failed: true }));
        }
      })
      .finally(() => {
        if (running.current === token) running.current = undefined;
      });
  }, [run, acceptServerList]);

  const update = useCallback((change: (notes: Note[]) => Note[]) => {
    setServer((s) => {
      const notes = change(s.notes);
      notesCopy.remember(notes);
      return { ...s, notes };
    });
  }, []);

  const confirmSaved = useCallback(
    (note: Note) => {
      confirmations.current.set(note.id, { at: Date.now(), note });
      update((notes) => [note, ...notes.filter((n) => n.id !== note.id)]);
    },
    [update],
  );
  const confirmDeleted = useCallback(
    (id: string) => {
      confirmations.current.set(id, { at: Date.now() });
      update((notes) => notes.filter((n) => n.id !== id));
    },
    [update],
  );

  // First load, then a refresh every `refreshMs` while the page is visible and the device online,
  // and one as soon as the connection comes back.
  useEffect(() => {
    refresh();
    const timer = setInterval(() => {
      if (document.visibilityState !== 'visible') return;
      if (protection.connectivity.snapshot.status === 'offline') return;
      refresh();
    }, settings.refreshMs);
    let previous = protection.connectivity.snapshot.status;
    const subscription = protection.connectivity.state$.subscribe((snapshot) => {
      if (snapshot.status === 'online' && previous !== 'online') refresh();
      previous = snapshot.status;
    });
    return () => {
      clearInterval(timer);
      subscription.unsubscribe();
      // Unmounting aborts the load in flight (useBulletproof does): the next mount starts its
      // own. Under StrictMode that next mount comes at once, and must not find the guard taken.
      running.current = undefined;
    };
  }, [protection, refresh, settings.refreshMs]);

  // A write the outbox delivered (from this tab, another tab or the service worker) is on
  // the server now: show it as synced at once instead of at the next refresh.
  useEffect(() => {
    const outbox = protection.outbox;
    if (!outbox) return;
    const subscription = outbox.events$.subscribe((event) => {
      if (event.type !== 'delivered') return;
      const write = localWriteOf(event.entry);
      if (!write) return;
      const saved = write.note;
      if (write.kind === 'delete') {
        confirmDeleted(write.noteId);
      } else if (saved) {
        const now = Date.now();
        const existing = serverNotes.current.find((n) => n.id === write.noteId);
        confirmSaved({ id: write.noteId, ...saved, createdAt: existing?.createdAt ?? now, updatedAt: now });
      }
    });
    return () => subscription.unsubscribe();
  }, [protection, confirmSaved, confirmDeleted]);

  const synced = useMemo(
    () => server.notes.map((n): ShownNote => ({ ...n, sync: 'synced' })),
    [server.notes],
  );
  const overlaid = usePendingOverlay(synced, NOTE_WRITES);
  const notes = useMemo(() => [...overlaid.items].sort(newestFirst), [overlaid]);

  return {
    notes,
    source: server.source,
    ...(server.syncedAt !== undefined ? { syncedAt: server.syncedAt } : {}),
    loading: load.state === 'running' && server.source === 'none',
    failed: server.failed === true && server.source === 'none',
    refresh,
    acceptServerList,
    confirmSaved,
    confirmDeleted,
  };
}
