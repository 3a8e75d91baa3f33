import { readFile } from 'node:fs/promises';
import * as z from 'zod/mini';
import { noteIdSchema, noteSchema, type Note } from './note.js';

/** The stored outcome of a write made with an `Idempotency-Key`, replayed to its duplicates. */
export interface IdempotencyRecord {
  readonly key: string;
  /** Method, path and body digest of the first request: a reuse with another request is refused. */
  readonly fingerprint: string;
  readonly status: number;
  /** The answer's JSON body; absent for answers without one (a 204). */
  readonly body?: unknown;
  readonly location?: string | undefined;
  readonly createdAt: number;
}

const idempotencyRecordSchema = z.object({
  key: z.string(),
  fingerprint: z.string(),
  status: z.int(),
  // Absent for answers without a body (a 204), as JSON drops `undefined`.
  body: z.optional(z.unknown()),
  location: z.optional(z.string()),
  createdAt: z.number(),
});

/**
 * The snapshot file. Version 1 predates the journal; it reads as a snapshot
 * taken before any journal line (`seq` 0).
 */
const snapshotSchema = z.union([
  z.object({
    version: z.literal(2),
    /** The last journal line this snapshot includes: replay skips it and every line before. */
    seq: z.int().check(z.gte(0)),
    notes: z.array(noteSchema),
    idempotency: z.array(idempotencyRecordSchema),
  }),
  z.object({
    version: z.literal(1),
    notes: z.array(noteSchema),
    idempotency: z.array(idempotencyRecordSchema),
  }),
]);

/**
 * One journal line: a change and the idempotency record that makes it
 * exactly-once, in one line so that they are persisted together or not at all.
 */
const journalLineSchema = z.union([
  z.object({ seq: z.int(), put: noteSchema, record: z.optional(idempotencyRecordSchema) }),
  z.object({ seq: z.int(), delete: noteIdSchema, record: z.optional(idempotencyRecordSchema) }),
  z.object({ seq: z.int(), clear: z.literal(true) }),
]);
export type JournalLine = z.infer<typeof journalLineSchema>;

export interface State {
  readonly notes: Map<string, Note>;
  /** In creation order: expiry stops at the first fresh record. */
  readonly records: Map<string, IdempotencyRecord>;
}

/** What `readPersisted` found on disk. */
export interface PersistedState extends State {
  /** The sequence number of the last change included. */
  readonly seq: number;
  /** Journal lines that were replayed on top of the snapshot. */
  readonly replayed: number;
  /** The snapshot could not be read; the state starts empty (plus the journal). */
  readonly snapshotCorrupt: boolean;
  /**
   * The journal held a complete line that could not be read: replay stopped
   * before it. A torn last line (a crash in mid-append) is not corruption:
   * its write was never acknowledged.
   */
  readonly journalCorrupt: boolean;
}

export function journalFileOf(file: string): string {
  return `${file}.journal`;
}

export function applyLine(state: State, line: JournalLine): void {
  if ('clear' in line) {
    state.notes.clear();
    state.records.clear();
    return;
  }
  if ('put' in line) state.notes.set(line.put.id, line.put);
  else state.notes.delete(line.delete);
  if (line.record) {
    // Re-inserted, so that the map stays in creation order.
    state.records.delete(line.record.key);
    state.records.set(line.record.key, line.record);
  }
}

export function encodeSnapshot(state: State, seq: number): string {
  const data = {
    version: 2,
    seq,
    notes: [...state.notes.values()],
    idempotency: [...state.records.values()],
  } satisfies z.infer<typeof snapshotSchema>;
  // Compact, not pretty: the size of the snapshot is the cost of a compaction.
  return `${JSON.stringify(data)}\n`;
}

export function encodeLine(line: JournalLine): string {
  return `${JSON.stringify(line)}\n`;
}

/**
 * Reads the snapshot and replays the journal on top of it, changing
 * nothing on disk (the store decides what to do about what it found).
 */
export async function readPersisted(file: string): Promise<PersistedState> {
  const state: State = { notes: new Map(), records: new Map() };
  let seq = 0;
  let snapshotCorrupt = false;
  const snapshotText = await readIfPresent(file);
  if (snapshotText !== undefined) {
    const parsed = snapshotSchema.safeParse(parseJson(snapshotText));
    if (parsed.success) {
      const snapshot = parsed.data;
      if (snapshot.version === 2) seq = snapshot.seq;
      for (const note of snapshot.notes) state.notes.set(note.id, note);
      for (const record of snapshot.idempotency.sort((a, b) => a.createdAt - b.createdAt)) {
        state.records.set(record.key, record);
      }
    } else {
      snapshotCorrupt = true;
    }
  }

  let replayed = 0;
  let journalCorrupt = false;
  const journalText = (await readIfPresent(journalFileOf(file))) ?? '';
  // Only newline-terminated lines count: an append is one write of a whole
  // line, so text after the last newline is a torn, unacknowledged append.
  const complete = journalText.slice(0, journalText.lastIndexOf('\n') + 1);
  for (const text of complete.split('\n')) {
    if (text === '') continue;
    const parsed = journalLineSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      journalCorrupt = true;
      break;
    }
    // Lines up to the snapshot's `seq` are in it already: a crash between
    // writing a snapshot and emptying the journal leaves them behind.
    if (parsed.data.seq <= seq) continue;
    applyLine(state, parsed.data);
    seq = parsed.data.seq;
    replayed += 1;
  }
  return { ...state, seq, replayed, snapshotCorrupt, journalCorrupt };
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if (isMissingFile(error)) return undefined;
    throw error;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isMissingFile(error: unknown): boolean {
  return error instanceof Error && 'code' in error && error.code === 'ENOENT';
}
