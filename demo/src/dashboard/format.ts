/** Small formatting helpers shared by the dashboard cards. */

export function percent(x: number): string {
  return `${Math.round(x * 100)} %`;
}

export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Math.max(0, s).toFixed(1)} s`;
}

const clockTime = new Intl.DateTimeFormat(undefined, { timeStyle: 'medium' });

export function timeOfDay(at: number): string {
  return clockTime.format(at);
}

export function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
