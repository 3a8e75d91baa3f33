import type { OutageDetector } from './outage-detector.js';
import type { Prediction, PredictionAccuracy } from './types.js';

/** The accuracy before anything was predicted or happened, e.g. where no predictor runs. */
export const EMPTY_PREDICTION_ACCURACY: Readonly<PredictionAccuracy> = Object.freeze({
  predictions: 0,
  confirmed: 0,
  falseAlarms: 0,
  late: 0,
  outages: 0,
  missed: 0,
  precision: 0,
  recall: 0,
  meanLeadTimeMs: 0,
});

/** What the ledger needs of a key: its open prediction and its outage state. */
export interface LedgerKey {
  readonly key: string;
  open: Prediction | undefined;
  /** False once a prediction was made, until risk drops or the prediction is settled. */
  armed: boolean;
  /** The scoring definition of an outage (see `OutageDetector`), fed every request of the key. */
  readonly scoring: OutageDetector;
}

/** How one prediction was judged. */
export type PredictionVerdict =
  | { kind: 'confirmed'; prediction: Prediction; leadMs: number; firstFailureAt: number }
  | { kind: 'false-alarm'; prediction: Prediction }
  | { kind: 'late'; prediction: Prediction; firstFailureAt: number };

/** One outage, and the prediction that foresaw it if any. */
export interface OutageRecord {
  key: string;
  firstFailureAt: number;
  startedAt: number;
  foreseen: boolean;
}

/** Listeners for an offline evaluation that wants every verdict, not just the totals. */
export interface LedgerListeners {
  verdict?(v: PredictionVerdict): void;
  outage?(o: OutageRecord): void;
}

/**
 * Scores predictions against what happened next, live (`predictor.accuracy()`) and offline
 * (the evaluation replays traces through this same class):
 * - **confirmed**: an outage (see `OutageDetector`) whose first failure came after the
 *   prediction (lead > 0) and within `horizonMs` of it; the lead is measured to that first failure;
 * - **late**: the outage's first failure came before the prediction — raised during the
 *   failures that became the outage. Neither a success nor a false alarm, counted apart;
 * - **false alarm**: no such outage within the horizon.
 * An outage is foreseen when a prediction was confirmed by it; any other is missed.
 * Expiry compares timestamps whenever the ledger is touched, so no timer is needed and a
 * throttled tab cannot skew the numbers.
 */
export class PredictionLedger {
  private predictions = 0;
  private confirmed = 0;
  private falseAlarms = 0;
  private late = 0;
  private missed = 0;
  private outages = 0;
  private leadSumMs = 0;
  private readonly open = new Set<LedgerKey>();
  /**
   * Open predictions whose key was forgotten (see `detach`), by key name, each with the key's
   * scored-outage state. They are settled by timestamp, and go back to the key if it is
   * tracked again within the horizon.
   */
  private readonly detached = new Map<string, LedgerKey>();

  constructor(
    private readonly horizonMs: number,
    private readonly listeners: LedgerListeners = {},
  ) {}

  /**
   * Settles the key's open prediction as a false alarm once its horizon has passed — unless a
   * run of failures that began within the horizon may still become the outage it foretold.
   */
  expire(k: LedgerKey, at: number): void {
    const p = k.open;
    if (p === undefined || at - p.at <= this.horizonMs) return;
    const run = k.scoring;
    run.refresh(at);
    const pending = run.pending && run.runStartAt > p.at && run.runStartAt - p.at <= this.horizonMs;
    if (pending) return;
    this.settle(k, { kind: 'false-alarm', prediction: p });
    // Risk that is still high when its prediction lapses is news again: re-arm, so the next
    // evaluation that finds it high predicts afresh (a new horizon has begun).
    k.armed = true;
  }

  expireAll(at: number): void {
    for (const k of this.open) this.expire(k, at);
    for (const d of this.detached.values()) {
      this.expire(d, at);
      if (d.open === undefined) this.detached.delete(d.key);
    }
  }

  /**
   * The predictor is about to forget `k`; its open prediction is held by key name until
   * settled, with the stretch of failures its outage may already have begun.
   */
  detach(k: LedgerKey): void {
    const p = k.open;
    if (p === undefined) return;
    this.detached.set(k.key, { key: k.key, open: p, armed: false, scoring: k.scoring });
    k.open = undefined;
    this.open.delete(k);
  }

  /**
   * A forgotten key is tracked again: the prediction it left open is its own once more, and so
   * is the stretch of failures. Without it an outage that began before the prediction would
   * seem to begin at the key's first failure after its return, and a late prediction would
   * count as confirmed.
   */
  attach(k: LedgerKey): void {
    const d = this.detached.get(k.key);
    if (d?.open === undefined) return;
    this.detached.delete(k.key);
    k.open = d.open;
    k.scoring.adopt(d.scoring);
    this.open.add(k);
  }

  opened(k: LedgerKey, p: Prediction): void {
    this.predictions += 1;
    k.open = p;
    this.open.add(k);
  }

  /** `k.scoring` has just found an outage, known at `at`, that began at its first failure. */
  outageStarted(k: LedgerKey, at: number): void {
    const firstFailureAt = k.scoring.runStartAt;
    this.outages += 1;
    const p = k.open;
    let foreseen = false;
    if (p !== undefined) {
      const leadMs = firstFailureAt - p.at;
      if (leadMs <= 0) this.settle(k, { kind: 'late', prediction: p, firstFailureAt });
      else if (leadMs <= this.horizonMs) {
        foreseen = true;
        this.settle(k, { kind: 'confirmed', prediction: p, leadMs, firstFailureAt });
      } else this.settle(k, { kind: 'false-alarm', prediction: p });
    }
    if (!foreseen) this.missed += 1;
    this.listeners.outage?.({ key: k.key, firstFailureAt, startedAt: at, foreseen });
  }

  private settle(k: LedgerKey, v: PredictionVerdict): void {
    k.open = undefined;
    this.open.delete(k);
    this.count(v);
  }

  private count(v: PredictionVerdict): void {
    if (v.kind === 'confirmed') {
      this.confirmed += 1;
      this.leadSumMs += v.leadMs;
    } else if (v.kind === 'late') this.late += 1;
    else this.falseAlarms += 1;
    this.listeners.verdict?.(v);
  }

  active(): Prediction[] {
    const list: Prediction[] = [];
    for (const k of this.open) if (k.open) list.push(k.open);
    for (const d of this.detached.values()) if (d.open) list.push(d.open);
    return list.sort((a, b) => a.at - b.at);
  }

  accuracy(): PredictionAccuracy {
    const resolved = this.confirmed + this.falseAlarms;
    return {
      predictions: this.predictions,
      confirmed: this.confirmed,
      falseAlarms: this.falseAlarms,
      late: this.late,
      outages: this.outages,
      missed: this.missed,
      precision: resolved === 0 ? 0 : this.confirmed / resolved,
      recall: this.outages === 0 ? 0 : (this.outages - this.missed) / this.outages,
      meanLeadTimeMs: this.confirmed === 0 ? 0 : this.leadSumMs / this.confirmed,
    };
  }
}
