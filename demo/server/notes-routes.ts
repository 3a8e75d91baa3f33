import { randomUUID } from 'node:crypto';
import { apiError, json, type ApiResponse } from './http-response.js';
import { noteIdSchema, noteInputSchema, type Note } from './note.js';
import type { IdempotencyRecord, NotesStore } from './store.js';
import { describeIssues, validate, type FieldIssue } from './validation.js';

export interface RouteContext {
  readonly store: NotesStore;
  readonly now: number;
  /** The raw request body; parsed by the handlers that take one. */
  readonly bodyText: string;
  readonly params: { readonly id?: string };
  /** The record to store with a successful write, or `undefined` when the request carried no key. */
  readonly remember: (response: ApiResponse) => IdempotencyRecord | undefined;
}

type Handler = (context: RouteContext) => ApiResponse | Promise<ApiResponse>;

export type RouteMatch =
  | {
      readonly kind: 'route';
      readonly label: string;
      readonly handler: Handler;
      readonly params: { id?: string };
    }
  | { readonly kind: 'miss'; readonly label: string; readonly response: ApiResponse };

const routes: readonly { readonly pattern: string; readonly methods: Readonly<Record<string, Handler>> }[] = [
  { pattern: '/api/health', methods: { GET: health, HEAD: health } },
  { pattern: '/api/notes', methods: { GET: listNotes, POST: createNote } },
  { pattern: '/api/notes/:id', methods: { GET: getNote, PUT: putNote, DELETE: deleteNote } },
];

/** Finds the handler for a request; `label` (`PUT /api/notes/:id`) is what the stats count by. */
export function matchRoute(method: string, path: string): RouteMatch {
  const segments = path.split('/');
  for (const route of routes) {
    const params = matchPattern(route.pattern.split('/'), segments);
    if (!params) continue;
    const handler = route.methods[method];
    if (handler) return { kind: 'route', label: `${method} ${route.pattern}`, handler, params };
    const allow = Object.keys(route.methods).join(', ');
    return {
      kind: 'miss',
      label: `${method} ${route.pattern}`,
      response: apiError(405, 'method_not_allowed', `${method} is not allowed on ${route.pattern}.`, {
        headers: { allow },
      }),
    };
  }
  return {
    kind: 'miss',
    label: `${method} (no route)`,
    response: apiError(404, 'not_found', `No API route for ${method} ${path}.`),
  };
}

function matchPattern(pattern: readonly string[], segments: readonly string[]): { id?: string } | undefined {
  if (pattern.length !== segments.length) return undefined;
  const params: { id?: string } = {};
  for (const [index, part] of pattern.entries()) {
    const segment = segments[index] ?? '';
    if (part === ':id') {
      const id = decodeSegment(segment);
      if (!id) return undefined;
      params.id = id;
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment) || undefined;
  } catch {
    return undefined;
  }
}

function health(): ApiResponse {
  return { status: 204 };
}

function listNotes({ store }: RouteContext): ApiResponse {
  return json(200, { notes: store.list() });
}

function getNote({ store, params }: RouteContext): ApiResponse {
  const note = params.id === undefined ? undefined : store.get(params.id);
  return note ? json(200, note) : notFound(params.id);
}

async function createNote(context: RouteContext): Promise<ApiResponse> {
  const input = parseNoteInput(context.bodyText);
  if (!input.ok) return input.response;
  const { store, now } = context;
  const id = input.value.id ?? randomUUID();
  if (store.get(id)) {
    return apiError(
      409,
      'conflict',
      `A note with id "${id}" already exists; PUT /api/notes/${id} updates it.`,
    );
  }
  const note: Note = {
    id,
    title: input.value.title,
    body: input.value.body ?? '',
    createdAt: now,
    updatedAt: now,
  };
  const response = json(201, note, { location: notePath(id) });
  await store.commit({ kind: 'put', note }, context.remember(response));
  return response;
}

/** PUT is an upsert, so a note created offline under a client id can be delivered either way. */
async function putNote(context: RouteContext): Promise<ApiResponse> {
  const { store, now, params } = context;
  const id = params.id ?? '';
  const idCheck = validate(noteIdSchema, id);
  if (!idCheck.ok) return invalid([{ field: 'id', message: idCheck.issues[0]?.message ?? 'Invalid id' }]);
  const input = parseNoteInput(context.bodyText);
  if (!input.ok) return input.response;
  if (input.value.id !== undefined && input.value.id !== id) {
    return invalid([{ field: 'id', message: `must match the id in the path ("${id}")` }]);
  }
  const existing = store.get(id);
  const note: Note = {
    id,
    title: input.value.title,
    body: input.value.body ?? '',
    createdAt: existing?.createdAt ?? now,
    updatedAt: now,
  };
  const response = existing ? json(200, note) : json(201, note, { location: notePath(id) });
  await store.commit({ kind: 'put', note }, context.remember(response));
  return response;
}

async function deleteNote(context: RouteContext): Promise<ApiResponse> {
  const { store, params } = context;
  const id = params.id ?? '';
  if (!store.get(id)) return notFound(id);
  const response: ApiResponse = { status: 204 };
  await store.commit({ kind: 'delete', id }, context.remember(response));
  return response;
}

type Parsed<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly response: ApiResponse };

function parseNoteInput(
  bodyText: string,
): Parsed<{ id?: string | undefined; title: string; body?: string | undefined }> {
  const body = parseJsonBody(bodyText);
  if (!body.ok) return body;
  const result = validate(noteInputSchema, body.value);
  return result.ok ? result : { ok: false, response: invalid(result.issues) };
}

/** A body that is not JSON at all is a 400; JSON of the wrong shape is a 422 (see `invalid`). */
export function parseJsonBody(bodyText: string): Parsed<unknown> {
  if (bodyText.trim() === '') {
    return {
      ok: false,
      response: apiError(400, 'invalid_json', 'The request body is empty; send a JSON object.'),
    };
  }
  try {
    return { ok: true, value: JSON.parse(bodyText) as unknown };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      ok: false,
      response: apiError(400, 'invalid_json', `The request body is not valid JSON: ${reason}`),
    };
  }
}

export function invalid(fields: readonly FieldIssue[]): ApiResponse {
  return apiError(422, 'validation_failed', `Invalid request body: ${describeIssues(fields)}`, { fields });
}

function notFound(id: string | undefined): ApiResponse {
  return apiError(404, 'not_found', `No note with id "${id ?? ''}".`);
}

function notePath(id: string): string {
  return `/api/notes/${encodeURIComponent(id)}`;
}
