import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '@bulletproof/core';
import type { Note } from '../../demo/server/note.js';
import { readPersisted, type IdempotencyRecord } from '../../demo/server/persisted-state.js';
import { NotesStore, type NotesStoreOptions } from '../../demo/server/store.js';
import { makeDataDir } from './demo-server-support.js';

const dirs: string[] = [];
const stores: NotesStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

async function dataFile(): Promise<string> {
  const dir = await makeDataDir();
  dirs.push(dir);
  return join(dir, 'notes.json');
}

async function openStore(
  file: string,
  options: Partial<NotesStoreOptions> = {},
): Promise<{ store: NotesStore; logs: string[] }> {
  const logs: string[] = [];
  const store = await NotesStore.open(file, {
    clock: systemClock,
    idempotencyTtlMs: 86_400_000,
    log: (message) => logs.push(message),
    ...options,
  });
  stores.push(store);
  return { store, logs };
}

function note(id: string, title = id): Note {
  return { id, title, body: '', createdAt: 1, updatedAt: 1 };
}

function record(key: string): IdempotencyRecord {
  return { key, fingerprint: `PUT ${key}`, status: 201, body: { ok: true }, createdAt: systemClock.now() };
}

function journalLines(text: string): Array<Record<string, unknown>> {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const line = (value: unknown) => `${JSON.stringify(value)}\n`;

describe('demo notes store: journal', () => {
  it('appends each change as one line with its record, and a restart after a crash replays them', async () => {
    const file = await dataFile();
    const { store } = await openStore(file);
    await store.commit({ kind: 'put', note: note('a') }, record('k-a'));
    await Promise.all([
      store.commit({ kind: 'put', note: note('b') }, record('k-b')),
      store.commit({ kind: 'put', note: note('a', 'A2') }),
    ]);
    await store.commit({ kind: 'delete', id: 'b' }, record('k-del'));

    // The snapshot was written once, at open; the changes are in the journal only.
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, seq: 0, notes: [] });
    const lines = journalLines(await readFile(`${file}.journal`, 'utf8'));
    expect(lines.map((l) => l.seq)).toEqual([1, 2, 3, 4]);
    expect(lines[0]).toMatchObject({ put: { id: 'a' }, record: { key: 'k-a' } });
    expect(lines[3]).toMatchObject({ delete: 'b', record: { key: 'k-del' } });

    // No close(): the next open sees what a crash would leave.
    const { store: reopened, logs } = await openStore(file);
    expect(reopened.list().map((n) => [n.id, n.title])).toEqual([['a', 'A2']]);
    expect(reopened.record('k-b')?.status).toBe(201);
    expect(reopened.record('k-del')).toBeDefined();
    expect(logs).toEqual([]);
    // Opening folds the journal into the snapshot.
    expect(await readFile(`${file}.journal`, 'utf8')).toBe('');
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, seq: 4 });
  });

  it('drops a torn last line, which was never acknowledged, without calling it corruption', async () => {
    const file = await dataFile();
    await writeFile(file, line({ version: 2, seq: 0, notes: [], idempotency: [] }));
    await writeFile(
      `${file}.journal`,
      line({ seq: 1, put: note('kept') }) + JSON.stringify({ seq: 2, put: note('torn') }).slice(0, 25),
    );
    const { store, logs } = await openStore(file);
    expect(store.list().map((n) => n.id)).toEqual(['kept']);
    expect(logs).toEqual([]);
    // The next append does not glue onto the torn bytes.
    await store.commit({ kind: 'put', note: note('next') });
    expect((await readPersisted(file)).notes.has('next')).toBe(true);
  });

  it('keeps the changes before an unreadable line, moves the journal aside and says so', async () => {
    const file = await dataFile();
    await writeFile(
      `${file}.journal`,
      line({ seq: 1, put: note('before') }) +
        '{"seq":2,"put":{"id":"x"}}\n' +
        line({ seq: 3, put: note('after') }),
    );
    const { store, logs } = await openStore(file);
    expect(store.list().map((n) => n.id)).toEqual(['before']);
    expect(logs.join('\n')).toMatch(/unreadable line; kept the 1 changes before it/);
    const files = await readdir(join(file, '..'));
    expect(files.some((name) => name.startsWith('notes.json.journal.corrupt-'))).toBe(true);
  });

  it('skips journal lines the snapshot already holds, so a crash mid-compaction repeats nothing', async () => {
    // A compaction wrote the snapshot at seq 3, which includes a change (seq 3)
    // that had not reached the journal yet, and crashed before emptying it.
    const file = await dataFile();
    await writeFile(file, line({ version: 2, seq: 3, notes: [note('a', 'v3'), note('b')], idempotency: [] }));
    await writeFile(
      `${file}.journal`,
      line({ seq: 1, put: note('a', 'v1') }) + line({ seq: 2, put: note('b') }),
    );
    const { store } = await openStore(file);
    expect(store.get('a')?.title).toBe('v3');
    // A line after the snapshot still applies.
    await store.commit({ kind: 'put', note: note('a', 'v4') });
    expect((await readPersisted(file)).notes.get('a')?.title).toBe('v4');
  });

  it('journals a clear like any change', async () => {
    const file = await dataFile();
    const { store } = await openStore(file);
    await store.commit({ kind: 'put', note: note('a') }, record('k'));
    await store.clear();
    await store.commit({ kind: 'put', note: note('b') });
    const persisted = await readPersisted(file);
    expect([...persisted.notes.keys()]).toEqual(['b']);
    expect(persisted.records.size).toBe(0);
  });

  it('reads a data file from before the journal (version 1) and rewrites it as version 2', async () => {
    const file = await dataFile();
    await writeFile(file, line({ version: 1, notes: [note('old')], idempotency: [record('k-old')] }));
    const { store } = await openStore(file);
    expect(store.get('old')).toBeDefined();
    expect(store.record('k-old')).toBeDefined();
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ version: 2, seq: 0 });
  });
});

describe('demo notes store: compaction', () => {
  it('rewrites the snapshot atomically once the journal is as long as the data, so the journal stays short', async () => {
    const file = await dataFile();
    const { store } = await openStore(file, { compactAfter: 5 });
    let reads = 0;
    const done = new AbortController();
    const reader = (async () => {
      while (!done.signal.aborted) {
        const text = await readFile(file, 'utf8');
        // Never a partial snapshot: each read parses whole.
        expect(JSON.parse(text).version).toBe(2);
        reads += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    for (let i = 0; i < 40; i += 1) await store.commit({ kind: 'put', note: note('same', `v${i}`) });
    done.abort();
    await reader;
    expect(reads).toBeGreaterThan(0);

    const snapshot = JSON.parse(await readFile(file, 'utf8'));
    expect(snapshot.seq).toBeGreaterThanOrEqual(35);
    expect(journalLines(await readFile(`${file}.journal`, 'utf8')).length).toBeLessThan(5);
    expect((await readPersisted(file)).notes.get('same')?.title).toBe('v39');
    expect((await readdir(join(file, '..'))).sort()).toEqual(['notes.json', 'notes.json.journal']);
  });

  it('waits until the journal holds as many lines as the data holds items', async () => {
    const file = await dataFile();
    const { store } = await openStore(file, { compactAfter: 5 });
    for (let i = 1; i <= 10; i += 1) await store.commit({ kind: 'put', note: note(`n${i}`) });
    // Compacted at the 5th line (5 notes); 10 notes later, 5 more lines are
    // not yet worth rewriting 10 notes for.
    expect(JSON.parse(await readFile(file, 'utf8')).seq).toBe(5);
    expect(journalLines(await readFile(`${file}.journal`, 'utf8')).map((l) => l.seq)).toEqual([
      6, 7, 8, 9, 10,
    ]);
  });

  it('writes a snapshot again at the next flush when a compaction failed, losing nothing', async () => {
    const file = await dataFile();
    const { store } = await openStore(file, { compactAfter: 3 });
    await store.commit({ kind: 'put', note: note('a') });
    await store.commit({ kind: 'put', note: note('b') });
    // A directory where the snapshot goes: renaming the new snapshot over it fails.
    await rm(file);
    await mkdir(join(file, 'blocker'), { recursive: true });
    await expect(store.commit({ kind: 'put', note: note('c') })).rejects.toThrow();
    await rm(file, { recursive: true });
    await store.commit({ kind: 'put', note: note('d') });
    expect([...(await readPersisted(file)).notes.keys()].sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('folds the journal into the snapshot on close, removes it, and refuses later commits', async () => {
    const file = await dataFile();
    const { store } = await openStore(file);
    await store.commit({ kind: 'put', note: note('a') });
    const pending = store.commit({ kind: 'put', note: note('b') });
    await store.close();
    await pending;
    expect(await readdir(join(file, '..'))).toEqual(['notes.json']);
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as { notes: Note[] };
    expect(snapshot.notes.map((n) => n.id).sort()).toEqual(['a', 'b']);
    await expect(store.commit({ kind: 'put', note: note('c') })).rejects.toThrow(/closed/);
  });
});
