import { literal, object, optional, record } from '../check/schema.js';
import { systemClock, setTimer } from '../clock.js';
import { observable, ValueEmitter } from '../observable.js';
import { clockSchema, msSchema, parseOptions } from '../validate.js';
import { DEGRADATION_LEVELS, levelStep, levelRank, type DegradationLevel } from './levels.js';
import type { Degradation, DegradationOptions, DegradationState } from './types.js';
import { DEV } from '../dev.js';

const optionsSchema = () =>
  object<DegradationOptions>({
    features: optional(record(literal(...DEGRADATION_LEVELS))),
    recoverAfterMs: optional(msSchema),
    clock: optional(clockSchema),
  });

/** Checks a level given at run time (JavaScript callers): `propose(): level must be one of none, … (received "x")`. */
function checkLevel(level: unknown, where: string, orNull = ''): void {
  if (!DEGRADATION_LEVELS.includes(level as DegradationLevel)) {
    throw new TypeError(
      `${where}: level must be one of ${DEGRADATION_LEVELS.join(', ')}${orNull} (received ${JSON.stringify(level)})`,
    );
  }
}

/** Shown while the level is held above what conditions call for, so the banner never states a stale cause. */
export const RECOVERING_REASON = 'recovering: conditions improved, stepping down one level at a time';

/**
 * Degradation levels with hysteresis. A proposal above the level in force applies at once;
 * one below it starts a calm period, and every `recoverAfterMs` of calm steps down one
 * level. Any proposal at or above the level in force ends the calm. The step-down is
 * computed from timestamps whenever the state is read, so a throttled background-tab
 * timer delays only the notification, never the correctness of the state.
 */
export function createDegradation(options: DegradationOptions = {}): Degradation {
  if (DEV) parseOptions(optionsSchema(), options, 'createDegradation()');
  const o = options;
  const clock = o.clock ?? systemClock;
  const recoverAfterMs = o.recoverAfterMs ?? 10_000;
  const features = new Map<string, DegradationLevel>(Object.entries(o.features ?? {}));

  // What conditions call for now (the latest proposal) …
  let target: { level: DegradationLevel; reasons: string[] } = { level: 'none', reasons: [] };
  // … and the computed level in force, which lags behind `target` only while stepping down.
  let computed: DegradationState = { level: 'none', reasons: [], since: clock.now(), manual: false };
  // Start of the calm that the next step-down waits on; meaningful only while computed > target.
  let calmSince = computed.since;
  let manual: DegradationState | undefined;
  let timer: unknown;
  let disposed = false;

  const subject = new ValueEmitter<DegradationState>(computed);

  function visible(): DegradationState {
    return manual ?? computed;
  }

  function reasonsWhileAbove(): string[] {
    return [RECOVERING_REASON, ...target.reasons];
  }

  /** Applies every step-down that is due by `now`, each dated when it fell due. */
  function catchUp(now: number): void {
    let next = computed;
    while (levelRank(next.level) > levelRank(target.level) && now - calmSince >= recoverAfterMs) {
      const stepAt = calmSince + recoverAfterMs;
      const level = levelStep(next.level, -1);
      next = {
        level,
        reasons: level === target.level ? [...target.reasons] : reasonsWhileAbove(),
        since: stepAt,
        manual: false,
      };
      calmSince = stepAt;
    }
    computed = next;
  }

  function publish(): void {
    const state = visible();
    const last = subject.value;
    if (state !== last && !sameState(state, last)) subject.next(state);
  }

  function schedule(): void {
    if (timer !== undefined) {
      clock.clearTimeout(timer);
      timer = undefined;
    }
    if (disposed || levelRank(computed.level) <= levelRank(target.level)) return;
    const wait = Math.max(0, calmSince + recoverAfterMs - clock.now());
    timer = setTimer(
      clock,
      () => {
        timer = undefined;
        refresh();
      },
      wait,
    );
  }

  function refresh(): void {
    if (disposed) return;
    catchUp(clock.now());
    publish();
    schedule();
  }

  function propose(level: DegradationLevel, reasons: string[]): void {
    checkLevel(level, 'propose()');
    if (!Array.isArray(reasons) || reasons.some((r) => typeof r !== 'string')) {
      throw new TypeError('propose(): reasons must be an array of strings');
    }
    if (disposed) return;
    const now = clock.now();
    catchUp(now);
    const wasCalm = levelRank(target.level) < levelRank(computed.level);
    target = { level, reasons: [...reasons] };
    const rank = levelRank(level);
    const current = levelRank(computed.level);
    if (rank > current) {
      computed = { level, reasons: [...reasons], since: now, manual: false };
      calmSince = now;
    } else if (rank === current) {
      if (!sameReasons(computed.reasons, reasons)) computed = { ...computed, reasons: [...reasons] };
      calmSince = now;
    } else {
      // Calm starts with the first proposal below the level in force, not at the last pressure:
      // the earlier proposal described conditions that held until this one.
      if (!wasCalm) calmSince = now;
      const reasonsNow = reasonsWhileAbove();
      if (!sameReasons(computed.reasons, reasonsNow)) computed = { ...computed, reasons: reasonsNow };
      catchUp(now);
    }
    publish();
    schedule();
  }

  function override(level: DegradationLevel | null, reason?: string): void {
    if (level !== null) checkLevel(level, 'override()', ' or null');
    if (reason !== undefined && typeof reason !== 'string') {
      throw new TypeError('override(): reason must be a string');
    }
    if (disposed) return;
    const now = clock.now();
    catchUp(now);
    if (level === null) {
      if (!manual) return;
      const wasLevel = manual.level;
      manual = undefined;
      // The computed level kept running underneath; it becomes visible from now on.
      if (computed.level !== wasLevel) computed = { ...computed, since: now };
    } else {
      const reasons = [reason ?? 'set manually'];
      const since = manual && manual.level === level ? manual.since : now;
      manual = { level, reasons, since, manual: true };
    }
    publish();
    schedule();
  }

  const state$ = observable<DegradationState>((observer) => {
    // A late subscriber must not receive a level whose step-down fell due while timers slept.
    refresh();
    const subscription = subject.observable.subscribe(observer);
    return () => subscription.unsubscribe();
  });

  return {
    get state() {
      refresh();
      return visible();
    },
    state$,
    isAvailable(feature: string): boolean {
      const offAt = features.get(feature);
      if (offAt === undefined) return true;
      refresh();
      return levelRank(visible().level) < levelRank(offAt);
    },
    propose,
    override,
    dispose(): void {
      if (disposed) return;
      if (timer !== undefined) clock.clearTimeout(timer);
      timer = undefined;
      disposed = true;
      subject.complete();
    },
  };
}

function sameReasons(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((r, i) => r === b[i]);
}

function sameState(a: DegradationState, b: DegradationState): boolean {
  return (
    a.level === b.level && a.since === b.since && a.manual === b.manual && sameReasons(a.reasons, b.reasons)
  );
}
