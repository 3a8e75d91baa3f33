// Beside TanStack Query: it keeps caching server state, Bulletproof owns failure handling and
// offline writes. Quoted in docs/migrating.md.
import { fetchOk } from '@bulletproof/core';
import type { ExecutionContext } from '@bulletproof/core';
import { onlineManager, useMutation, useQuery } from '@tanstack/react-query';
import { readCachedNotes } from './app-helpers.js';
import type { Note } from './app-helpers.js';
import { protection } from './react-protection.js';

declare function putNote(note: Note, ctx: ExecutionContext): Promise<Response>; // sends ctx.idempotencyKey

onlineManager.setEventListener((setOnline) => {
  const sub = protection.connectivity.state$.subscribe((s) => {
    setOnline(s.status !== 'offline');
  });
  return () => {
    sub.unsubscribe();
  };
});

export function useNotes() {
  return useQuery({
    queryKey: ['notes'],
    queryFn: async () => {
      const r = await protection.protect(
        'notes',
        ({ signal }) => fetchOk('/api/notes', { signal }).then((res) => res.json() as Promise<Note[]>),
        {
          fallback: () => readCachedNotes(),
        },
      );
      if (r.status === 'failed') throw r.failure.cause;
      return r.status === 'ok' || r.status === 'fallback' ? r.value : undefined;
    },
  });
}

export function useSaveNote() {
  return useMutation({
    networkMode: 'always', // Bulletproof queues offline writes; don't let the mutation pause
    mutationFn: (note: Note) =>
      protection.protect('save', (ctx) => putNote(note, ctx), {
        offline: {
          type: 'http',
          payload: {
            url: `/api/notes/${note.id}`,
            method: 'PUT',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(note),
          },
        },
      }),
  });
}
