import type { Failure } from './types.js';

/**
 * Whether the failure leaves open that the server received and applied the request: it
 * timed out, the connection broke (the response may be what was lost), or the server
 * failed mid-way (a 5xx). A 503 without `Retry-After` is the server refusing work, and
 * offline, rate-limited, circuit-open and bulkhead-full failures never reached it: those are
 * not ambiguous.
 * A write that is not idempotent and sends no idempotency key is not repeated after one.
 */
export function isAmbiguous(failure: Failure): boolean {
  switch (failure.category) {
    case 'timeout':
    case 'network':
      return true;
    case 'server':
      return failure.status !== 503;
    default:
      return false;
  }
}

/**
 * Whether a failure is the server saying a request with the same idempotency key is still
 * being processed: the IETF Idempotency-Key draft answers such a repeat with 409 Conflict.
 * Only a repeat can get that answer, so a 409 to the first send of a key stays a real
 * conflict. The write is under way, not refused: it is worth another try later, when the
 * server answers with the outcome it stored.
 */
export function isKeyInProgress(failure: Failure, repeat: boolean): boolean {
  return repeat && failure.status === 409;
}
