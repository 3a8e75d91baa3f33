import { createOutbox, createProtection, fetchOk } from '@bulletproof/core';
import type { Todo } from './todos.js';

export type NewTodo = Omit<Todo, 'id'>;
export type TodoChange = Pick<Todo, 'id' | 'done'>;

const json = (key: string) => ({ 'content-type': 'application/json', 'idempotency-key': key });

/** Adds a todo; the server gives it its id. */
export function postTodo(todo: NewTodo, idempotencyKey: string, signal: AbortSignal): Promise<Todo> {
  return fetchOk('/api/todos', {
    method: 'POST',
    headers: json(idempotencyKey),
    body: JSON.stringify(todo),
    signal,
  }).then((res) => res.json() as Promise<Todo>);
}

/** Ticks a todo off (or back on). */
export function patchTodo(change: TodoChange, idempotencyKey: string, signal: AbortSignal): Promise<Todo> {
  return fetchOk(`/api/todos/${change.id}`, {
    method: 'PATCH',
    headers: json(idempotencyKey),
    body: JSON.stringify({ done: change.done }),
    signal,
  }).then((res) => res.json() as Promise<Todo>);
}

// One Protection for the app, created once, outside React. Probes give up after 2 s and,
// while the server is out of reach, come every second: a small app's short timings.
export const protection = createProtection({
  dependencies: { api: { critical: true } },
  connectivity: { probe: { url: '/api/health', timeoutMs: 2_000, offlineIntervalMs: 1_000 } },
  outbox: (parts) =>
    createOutbox({
      ...parts,
      handlers: {
        // Replays of queued writes, with the key the first attempt used.
        'todo.add': (todo: NewTodo, { idempotencyKey, signal }) => postTodo(todo, idempotencyKey, signal),
        'todo.update': (change: TodoChange, { idempotencyKey, signal }) =>
          patchTodo(change, idempotencyKey, signal),
      },
    }),
});
