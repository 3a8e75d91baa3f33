import { fn, literal, number, object, optional } from '../check/schema.js';
import { systemClock, setTimer } from '../clock.js';
import { FAILURE_MEANINGS } from '../failure/meaning.js';
import type { Failure, FailureCategory } from '../failure/types.js';
import { Emitter } from '../observable.js';
import { clockSchema, msSchema, nonEmptyStringSchema, parseOptions, positiveMsSchema } from '../validate.js';
import type {
  Recovery,
  RecoveryAction,
  RecoveryActionStats,
  RecoveryEvent,
  RecoveryOptions,
  RecoveryOutcome,
  RecoveryRecord,
  RecoveryStats,
} from './types.js';
import { DEV } from '../dev.js';

const CATEGORIES = Object.keys(FAILURE_MEANINGS) as FailureCategory[];

const optionsSchema = () =>
  object<RecoveryOptions>({
    clock: optional(clockSchema),
    historyLimit: optional(number({ int: true, gte: 1 })),
  });

const categorySchema = literal(...CATEGORIES, '*');

const actionSchema = object<RecoveryAction>({
  name: nonEmptyStringSchema,
  run: fn(),
  cooldownMs: optional(msSchema),
  timeoutMs: optional(positiveMsSchema),
});

// A failure may carry more than its category (and a newer version more still).
const failureSchema = object<Pick<Failure, 'category'>>({ category: literal(...CATEGORIES) }, true);

interface Registration {
  category: FailureCategory | '*';
  name: string;
  run: RecoveryAction['run'];
  cooldownMs: number;
  timeoutMs: number;
  active: boolean;
  lastStartedAt?: number;
  inFlight?: Promise<boolean>;
}

/**
 * Recovery actions per failure category (e.g. `auth` → refresh the token, then
 * resume the outbox), each rate-limited by a cooldown so a burst of failures
 * triggers one repair, with a bounded history and lifetime success rates.
 */
export function createRecovery(options: RecoveryOptions = {}): Recovery {
  if (DEV) parseOptions(optionsSchema(), options, 'createRecovery()');
  const o = options;
  const clock = o.clock ?? systemClock;
  const historyLimit = o.historyLimit ?? 100;

  const registrations: Registration[] = [];
  const history: RecoveryRecord[] = [];
  const perAction = new Map<string, { runs: number; succeeded: number }>();
  const running = new Set<AbortController>();
  const events = new Emitter<RecoveryEvent>();
  let runs = 0;
  let succeeded = 0;
  let disposed = false;

  const record = (entry: RecoveryRecord, outcome: RecoveryOutcome, error: unknown): void => {
    history.push(entry);
    if (history.length > historyLimit) history.shift();
    runs++;
    if (entry.ok) succeeded++;
    const counts = perAction.get(entry.action) ?? { runs: 0, succeeded: 0 };
    counts.runs++;
    if (entry.ok) counts.succeeded++;
    perAction.set(entry.action, counts);
    if (events.observed) {
      events.next({ type: 'recovery-run', outcome, ...(error === undefined ? {} : { error }), ...entry });
    }
  };

  /** Starts one run; settles on the action's answer, its timeout, or dispose, whichever comes first. */
  const start = (reg: Registration, failure: Failure): Promise<boolean> => {
    const at = clock.now();
    reg.lastStartedAt = at;
    const controller = new AbortController();
    running.add(controller);

    const settled = new Promise<boolean>((resolve) => {
      let done = false;
      const finish = (outcome: RecoveryOutcome, error?: unknown): void => {
        if (done) return;
        done = true;
        clock.clearTimeout(timer);
        running.delete(controller);
        reg.inFlight = undefined;
        const ok = outcome === 'recovered';
        if (!disposed) {
          record(
            { action: reg.name, category: failure.category, at, ok, durationMs: clock.now() - at },
            outcome,
            error,
          );
        }
        resolve(ok);
      };
      const timer = setTimer(
        clock,
        () => {
          const error = new Error(`Recovery action "${reg.name}" timed out after ${reg.timeoutMs} ms`);
          finish('timed-out', error); // before abort, whose listener would otherwise record 'threw'
          controller.abort(error);
        },
        reg.timeoutMs,
      );
      controller.signal.addEventListener(
        'abort',
        () => finish('threw', controller.signal.reason as unknown),
        {
          once: true,
        },
      );

      // An async wrapper turns a synchronous throw into a rejection like any other.
      (async () => reg.run(failure, { signal: controller.signal }))().then(
        // Only a real `true` counts: an action that forgets to return reports no recovery.
        (result) => finish((result as unknown) === true ? 'recovered' : 'not-recovered'),
        (error: unknown) => finish('threw', error),
      );
    });
    reg.inFlight = settled;
    return settled;
  };

  return {
    register(category, action) {
      const checkedCategory = parseOptions(categorySchema, category, 'register()', 'category');
      const a = parseOptions(actionSchema, action, 'register()', 'action');
      if (registrations.some((r) => r.name === a.name)) {
        throw new TypeError(
          `register(): action field "name" ${JSON.stringify(a.name)} is already registered`,
        );
      }
      const reg: Registration = {
        category: checkedCategory,
        name: a.name,
        run: a.run,
        cooldownMs: a.cooldownMs ?? 30_000,
        timeoutMs: a.timeoutMs ?? 30_000,
        active: !disposed,
      };
      if (!disposed) registrations.push(reg);
      return () => {
        if (!reg.active) return;
        reg.active = false;
        registrations.splice(registrations.indexOf(reg), 1);
      };
    },

    async recover(failure) {
      parseOptions(failureSchema, failure, 'recover()', 'failure');
      if (disposed) return false;
      // A snapshot: actions registered during this recovery wait for the next failure.
      const matching = registrations.filter((r) => r.category === failure.category || r.category === '*');
      let recovered = false;
      for (const reg of matching) {
        if (!reg.active) continue; // unregistered, or disposed, while an earlier action ran
        let outcome = reg.inFlight;
        if (!outcome) {
          const coolingDown =
            reg.lastStartedAt !== undefined && clock.now() - reg.lastStartedAt < reg.cooldownMs;
          if (coolingDown) continue;
          outcome = start(reg, failure);
        }
        if (await outcome) recovered = true;
      }
      return recovered;
    },

    history() {
      return history.map((entry) => ({ ...entry }));
    },

    get stats(): RecoveryStats {
      const actions: Record<string, RecoveryActionStats> = {};
      for (const reg of registrations) actions[reg.name] = { runs: 0, succeeded: 0, successRate: null };
      for (const [name, counts] of perAction) {
        actions[name] = { ...counts, successRate: counts.runs === 0 ? null : counts.succeeded / counts.runs };
      }
      return { runs, succeeded, actions };
    },

    events$: events.observable,

    dispose() {
      if (disposed) return;
      disposed = true;
      for (const reg of registrations) reg.active = false;
      registrations.length = 0;
      for (const controller of [...running]) controller.abort(new Error('Recovery disposed'));
      events.complete();
    },
  };
}
