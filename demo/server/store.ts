import { mkdir, open, readdir, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Clock } from '@bulletproof/core';
import { isTemporaryOf, writeFileAtomic } from './atomic-write.js';
import type { Note } from './note.js';
import {
  applyLine,
  encodeLine,
  encodeSnapshot,
  journalFileOf,
  readPersisted,
  type IdempotencyRecord,
  type JournalLine,
  type State,
} from './persisted-state.js';

export type { IdempotencyRecord } from './persisted-state.js';

export type NoteChange =
  { readonly kind: 'put'; readonly note: Note } | { readonly kind: 'delete'; readonly id: string };

/** Below this many journal lines a compaction is not worth its full rewrite. */
const MIN_COMPACT_AFTER = 1_000;

export interface NotesStoreOptions {
  readonly clock: Clock;
  /** How long an idempotency record is kept; a retry later than this is applied again. */
  readonly idempotencyTtlMs: number;
  readonly log: (message: string) => void;
  /**
   * Journal lines after which the snapshot is rewritten and the journal
   * emptied; at least the number of notes and records held, so a rewrite's
   * cost stays spread over as many appends. Default 1,000.
   */
  readonly compactAfter?: number;
}

/**
 * The notes and the idempotency records, held in memory and persisted as a
 * snapshot file (replaced atomically) plus an append-only journal beside it.
 *
 * A change and the record that makes it exactly-once are one journal line,
 * so a crash cannot keep one without the other; `commit` resolves once its
 * line is flushed to disk. Appends cost the size of the change, not of the
 * whole data set: the snapshot is rewritten only after as many appends as it
 * holds items (and on open and close), which keeps a write's cost flat as the
 * data grows.
 */
export class NotesStore {
  readonly file: string;
  readonly #journalFile: string;
  readonly #options: NotesStoreOptions;
  /** Replaced once, by what `open` loads. */
  #state: State = { notes: new Map(), records: new Map() };
  /** The sequence number of the last change made in memory. */
  #seq = 0;
  /** Lines of changes made in memory, not yet handed to the journal. */
  #unwritten: string[] = [];
  #journalLines = 0;
  /**
   * The next flush must write a snapshot: an append failed (the journal may end in a torn
   * line) or a compaction did (changes it took are in memory only).
   */
  #mustCompact = false;
  #journal: FileHandle | undefined;
  #writing: Promise<void> = Promise.resolve();
  #queued: Promise<void> | undefined;
  #closed = false;

  private constructor(file: string, options: NotesStoreOptions) {
    this.file = file;
    this.#journalFile = journalFileOf(file);
    this.#options = options;
  }

  /** Loads the snapshot and journal, or starts empty; a corrupt file is moved aside, never fatal. */
  static async open(file: string, options: NotesStoreOptions): Promise<NotesStore> {
    const store = new NotesStore(file, options);
    await mkdir(dirname(file), { recursive: true });
    await store.#removeLeftoverTemporaries();
    await store.#load();
    return store;
  }

  get noteCount(): number {
    return this.#state.notes.size;
  }

  get recordCount(): number {
    return this.#state.records.size;
  }

  /** Most recently updated first. */
  list(): Note[] {
    return [...this.#state.notes.values()].sort(
      (a, b) => b.updatedAt - a.updatedAt || a.id.localeCompare(b.id),
    );
  }

  get(id: string): Note | undefined {
    return this.#state.notes.get(id);
  }

  record(key: string): IdempotencyRecord | undefined {
    const record = this.#state.records.get(key);
    if (record && this.#isExpired(record)) return undefined;
    return record;
  }

  /**
   * Applies a change (and the idempotency record that goes with it) in
   * memory at once, so later requests see it, and resolves when it is on
   * disk.
   */
  commit(change: NoteChange, record?: IdempotencyRecord): Promise<void> {
    const seq = this.#seq + 1;
    const line: JournalLine =
      change.kind === 'put'
        ? { seq, put: change.note, ...(record && { record }) }
        : { seq, delete: change.id, ...(record && { record }) };
    return this.#change(line);
  }

  clear(): Promise<void> {
    return this.#change({ seq: this.#seq + 1, clear: true });
  }

  /** Waits for pending writes, folds the journal into the snapshot; later commits are refused. */
  async close(): Promise<void> {
    if (this.#closed) return this.#writing.catch(() => undefined);
    this.#closed = true;
    this.#writing = this.#writing
      .catch(() => undefined)
      .then(async () => {
        if (this.#journalLines > 0 || this.#unwritten.length > 0 || this.#mustCompact) await this.#compact();
      })
      .finally(async () => {
        await this.#journal?.close();
        this.#journal = undefined;
      })
      // Folded into the snapshot: a stopped server leaves one file.
      .then(() => rm(this.#journalFile, { force: true }));
    await this.#writing.catch((error: unknown) => {
      this.#options.log(`demo API: could not fold the journal into ${this.file}: ${String(error)}`);
    });
  }

  #change(line: JournalLine): Promise<void> {
    if (this.#closed) return Promise.reject(new Error('The notes store is closed.'));
    applyLine(this.#state, line);
    this.#seq = line.seq;
    this.#expireRecords();
    this.#unwritten.push(encodeLine(line));
    return this.#persist();
  }

  /**
   * Serialises writes and coalesces bursts: one flush, started when the
   * previous one ends, writes every line made before it starts, in one
   * append and one sync.
   */
  #persist(): Promise<void> {
    if (this.#queued) return this.#queued;
    const write = this.#writing
      .catch(() => undefined)
      .then(() => {
        this.#queued = undefined;
        return this.#flush();
      });
    this.#queued = write;
    this.#writing = write;
    return write;
  }

  async #flush(): Promise<void> {
    const compactAfter = Math.max(
      this.#options.compactAfter ?? MIN_COMPACT_AFTER,
      this.#state.notes.size + this.#state.records.size,
    );
    if (this.#mustCompact || this.#journalLines + this.#unwritten.length >= compactAfter) {
      await this.#compact();
      return;
    }
    const lines = this.#unwritten;
    this.#unwritten = [];
    try {
      const journal = await this.#openJournal();
      await journal.write(lines.join(''));
      await journal.datasync();
      this.#journalLines += lines.length;
    } catch (error) {
      // Some bytes of the lines may have landed: the journal could now end in
      // a torn line, so the next flush writes everything as a snapshot.
      this.#mustCompact = true;
      throw error;
    }
  }

  /**
   * Writes the whole state as the snapshot, then empties the journal. The
   * snapshot includes every change made so far, written lines or not, and
   * says so with its `seq`: journal lines up to it are skipped on load, so a
   * crash between the two steps loses and repeats nothing.
   */
  async #compact(): Promise<void> {
    this.#unwritten = [];
    // Until the snapshot is written, the changes just taken out of `#unwritten` are only in
    // memory: should this fail, the next flush must write a snapshot again.
    this.#mustCompact = true;
    await writeFileAtomic(this.file, encodeSnapshot(this.#state, this.#seq));
    const journal = await this.#openJournal();
    await journal.truncate(0);
    this.#journalLines = 0;
    this.#mustCompact = false;
  }

  async #openJournal(): Promise<FileHandle> {
    // Append mode: every write lands at the end, also after a truncation.
    this.#journal ??= await open(this.#journalFile, 'a');
    return this.#journal;
  }

  async #load(): Promise<void> {
    const found = await readPersisted(this.file);
    const now = this.#options.clock.now();
    if (found.snapshotCorrupt) {
      const aside = `${this.file}.corrupt-${now}`;
      await rename(this.file, aside);
      this.#options.log(`demo API: ${this.file} was unreadable; moved it to ${aside} and started empty.`);
    }
    if (found.journalCorrupt) {
      const aside = `${this.#journalFile}.corrupt-${now}`;
      await rename(this.#journalFile, aside);
      this.#options.log(
        `demo API: ${this.#journalFile} had an unreadable line; kept the ${found.replayed} changes before it and moved the journal to ${aside}.`,
      );
    }
    this.#state = { notes: found.notes, records: found.records };
    this.#seq = found.seq;
    this.#expireRecords();
    // Start from a snapshot that holds everything and an empty journal: a
    // torn last line is dropped, and replay work is not repeated next time.
    await this.#compact();
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
    for (const record of this.#state.records.values()) {
      if (!this.#isExpired(record)) break;
      this.#state.records.delete(record.key);
    }
  }
}
