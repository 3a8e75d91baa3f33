// A bulkhead: at most three uploads at once, and a page of 200 thumbnails that loads six at a
// time instead of opening 200 requests. Quoted in docs/policies.md.
import { bulkhead, constantBackoff, fetchOk, pipeline, retry, timeout } from '@bulletproof/core';

// Three uploads run; up to 20 more wait their turn; a 24th is refused at once.
const uploads = bulkhead({ limit: 3, queue: 20 });

export function upload(file: File, signal: AbortSignal): Promise<Response> {
  // Aborting a waiting upload (the user removed the file) takes it out of the queue.
  return uploads.execute(({ signal }) => fetchOk('/api/files', { method: 'PUT', body: file, signal }), {
    signal,
  });
}

// Thumbnails: six at a time, every one of them queued. A thumbnail scrolled out of view aborts
// its signal and never starts.
const thumbnails = pipeline(
  retry({ maxAttempts: 2, backoff: constantBackoff(500) }),
  bulkhead({ limit: 6, queue: Infinity }),
  timeout(10_000),
);

export function thumbnail(url: string, signal: AbortSignal): Promise<Blob> {
  return thumbnails.execute(async ({ signal }) => (await fetchOk(url, { signal })).blob(), { signal });
}
