const TIME: Intl.DateTimeFormatOptions = { timeStyle: 'short' };
const DATE_AND_TIME: Intl.DateTimeFormatOptions = { dateStyle: 'medium', timeStyle: 'short' };

/**
 * When a saved copy was saved, as a person reads it in their own locale: the time alone when
 * it is from today ("10:42 AM"), with the date when it is older ("Mar 3, 2025, 10:42 AM"),
 * so a copy from yesterday never passes for this morning's. For the `savedCopy` template's
 * `{time}`: `text('savedCopy', { time: savedAtText(result.savedAt) })`.
 */
export function savedAtText(savedAt: number, now: number = Date.now()): string {
  const saved = new Date(savedAt);
  const today = saved.toDateString() === new Date(now).toDateString();
  return saved.toLocaleString(undefined, today ? TIME : DATE_AND_TIME);
}
