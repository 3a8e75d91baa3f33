import { open, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';

let sequence = 0;

/** The temporary name a write goes through; `isTemporaryOf` recognises leftovers after a crash. */
function temporaryName(file: string): string {
  sequence += 1;
  return `${file}.${process.pid}.${sequence}.tmp`;
}

export function isTemporaryOf(file: string, candidate: string): boolean {
  return candidate.startsWith(`${file}.`) && candidate.endsWith('.tmp');
}

/**
 * Replaces `file` with `data` so that a reader, or a restart after a crash,
 * sees either the whole old content or the whole new content, never a mix:
 * the data goes to a temporary file in the same directory, is flushed to
 * disk, and then renamed over the target (rename is atomic within a file
 * system); the directory is flushed too, so the rename itself survives a
 * power loss before anything that relies on it happens. Callers serialise
 * their writes; two concurrent writes to one file would each be atomic, but
 * the last rename would win.
 */
export async function writeFileAtomic(file: string, data: string): Promise<void> {
  const temporary = temporaryName(file);
  try {
    const handle = await open(temporary, 'w');
    try {
      await handle.writeFile(data, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, file);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(dirname(file));
}

async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or sync a directory; the rename is still atomic there.
  } finally {
    await handle?.close();
  }
}
