const SECONDS = /^\s*(\d+(?:\.\d+)?)\s*$/;

/**
 * Parses a `Retry-After` header value, given as delay-seconds or an HTTP date, into
 * milliseconds from `now`. Returns undefined for a missing or malformed value; a date in
 * the past means "now" (0).
 */
export function parseRetryAfter(
  value: string | null | undefined,
  now: number = Date.now(),
): number | undefined {
  if (value === null || value === undefined) return undefined;
  const seconds = SECONDS.exec(value);
  if (seconds) {
    const ms = Number(seconds[1]) * 1000;
    return Number.isFinite(ms) ? Math.round(ms) : undefined;
  }
  // Only date-shaped values: `Date.parse` would otherwise accept odd strings like "1".
  if (!/[a-z]/i.test(value)) return undefined;
  const at = Date.parse(value);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}
