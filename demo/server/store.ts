import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import * as z from 'zod/mini';
import type { Clock } from '@bulletproof/core';
import { isTemporaryOf, writeFileAtomic } from './atomic-write.js';
import { noteSchema, type Note } from './note.js';

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

export type NoteChange =
  { readonly kind: 'put'; readonly note: Note } | { readonly kind: 'delete'; readonly id: string };

const idempotencyRecordSchema = z.object({
  key: z.string(),
  fingerprint: z.string(),
  status: z.int(),
  // Absent for answers without a body (a 204), as JSON drops `undefined`.
  body: z.optional(z.unknown()),
  location: z.optional(z.string()),
  createdAt: z.number(),
});

const dataFileSchema = z.object({
  version: z.literal(1),
  notes: z.array(noteSchema),
  idempotency: z.array(idempotencyRecordSchema),
});

export interface NotesStoreOptions {
  readonly clock: Clock;
  /** How long an idempotency record is kept; a retry later than this is applied again. */
  readonly idempotencyTtlMs: number;
  readonly log: (message: string) => void;
}

/**
 * The notes and the idempotency records, held in memory and persisted
 * together to one JSON file: a write and the record that makes it
 * exactly-once land in the same atomic file replacement, so a crash cannot
 * keep one without the other.
 */
export class NotesStore {
  readonly file: string;
  readonly #options: NotesStoreOptions;
  readonly #notes = new Map<string, Note>();
  /** In insertion order, which is creation order: expiry stops at the first fresh record. */
  readonly #records = new Map<string, IdempotencyRecord>();
  #writing: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #closed = false;

  private constructor(file: string, options: NotesStoreOptions) {
    this.file = file;
    this.#options = options;
  }

  /** Loads the file, or starts empty; a corrupt file is moved aside, never fatal. */
  static async open(file: string, options: NotesStoreOptions): Promise<NotesStore> {
    const store = new NotesStore(file, options);
    await mkdir(dirname(file), { recursive: true });
    await store.#removeLeftoverTemporaries();
    await store.#load();
    return store;
  }

  get noteCount(): number {
    return this.#notes.size;
  }

  get recordCount(): number {
    return this.#records.size;
  }

  /** Most recently updated first. */
  list(): Note[] {
    return [...this.#notes.values()].sort((a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id));
  }

  get(id: string): Note | undefined {
    return this.#notes.get(id);
  }

  record(key: string): IdempotencyRecord | undefined {
    const record = this.#records.get(key);
    if (record && this.#isExpired(record)) return undefined;
    return record;
  }

  /**
   * Applies a change (and the idempotency record that goes with it) in
   * memory at once, so later requests see it, and resolves when it is on
   * disk.
   */
  commit(change: NoteChange, record?: IdempotencyRecord): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The notes store is closed.'));
    if (change.kind === 'put') this.#notes.set(change.note.id, change.note);
    else this.#notes.delete(change.id);
    if (record) {
      this.#records.delete(record.key);
      this.#records.set(record.key, record);
    }
    this.#expireRecords();
    return this.#persist();
  }

  clear(): Promise<void> {
    this.#notes.clear();
    this.#records.clear();
    return this.#persist();
  }

  /** Waits for pending writes; later commits are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#writing.catch(() => undefined);
  }

  /**
   * Serialises writes and coalesces bursts: a write that has not started yet
   * is shared by every change made before it starts, because it serialises
   * the state as it is when it starts.
   */
  #persist(): Promise<void> {
    if (this.#queued) return this.#queued;
    const write = this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return writeFileAtomic(this.file, this.#serialise());
      });
    this.#queued = write;
    this.#writing = write;
    return write;
  }

  /** Compact, not pretty: the whole file is rewritten on every write, and its size is the cost. */
  #serialise(): string {
    const data: z.infer<typeof dataFileSchema> = {
      version: 1,
      notes: [...this.#notes.values()],
      idempotency: [...this.#records.values()],
    };
    return `${JSON.stringify(data)}\n`;
  }

  async #load(): Promise<void> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isMissingFile(error)) return;
      throw error;
    }
    const parsed = dataFileSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      const aside = `${this.file}.corrupt-${this.#options.clock.now()}`;
      await rename(this.file, aside);
      this.#options.log(`demo API: ${this.file} was unreadable; moved it to ${aside} and started empty.`);
      return;
    }
    for (const note of parsed.data.notes) this.#notes.set(note.id, note);
    for (const record of parsed.data.idempotency.sort((a, b) => a.createdAt - b.createdAt)) {
      this.#records.set(record.key, record);
    }
    this.#expireRecords();
  }

  /** A crash between writing and renaming leaves a temporary file; it never holds the only copy. */
  async #removeLeftoverTemporaries(): Promise<void> {
    const directory = dirname(this.file);
    const name = basename(this.file);
    const entries = await readdir(directory);
    await Promise.all(
      entries
        .filter((entry) => isTemporaryOf(name, entry))
        .map((entry) => rm(join(directory, entry), { force: true })),
    );
  }

  #isExpired(record: IdempotencyRecord): boolean {
    return this.#options.clock.now() - record.createdAt > this.#options.idempotencyTtlMs;
  }

  #expireRecords(): void {
    for (const record of this.#records.values()) {
      if (!this.#isExpired(record)) break;
      this.#records.delete(record.key);
    }
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
