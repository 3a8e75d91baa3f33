import type { OutboxEntry } from '@bulletproof/core';
import { describeEntry } from '@bulletproof/react';
import { localWriteOf } from './local-writes.js';

const time = new Intl.DateTimeFormat(undefined, { timeStyle: 'short' });

/** How the outbox panel names a queued write: by the note it changes, not by its URL. */
export function describeOutboxEntry(entry: OutboxEntry): string {
  const write = localWriteOf(entry);
  if (!write) return describeEntry(entry);
  const when = time.format(entry.createdAt);
  if (write.kind === 'delete') return `Delete a note · ${when}`;
  return `Save “${write.note?.title ?? 'untitled'}” · ${when}`;
}
