import type { KeyHealth } from './key-health.js';
import type { Prediction, PredictionAccuracy } from './types.js';

/** A prediction must come at least this long before its episode to count as foreseeing it. */
export const MIN_LEAD_MS = 1_000;

/** The accuracy before anything was predicted or happened, e.g. where no predictor runs. */
export const EMPTY_PREDICTION_ACCURACY: Readonly<PredictionAccuracy> = Object.freeze({
  predictions: 0,
  confirmed: 0,
  falseAlarms: 0,
  missed: 0,
  precision: 0,
  recall: 0,
  meanLeadTimeMs: 0,
});

/**
 * Scores the predictor against what happened next, exactly as the contract defines it:
 * a prediction is confirmed when an episode for its key starts within `horizonMs`, a false
 * alarm otherwise; an episode with no prediction at least 1 s ahead of it is missed.
 * Expiry is decided by comparing timestamps whenever the ledger is touched, so no timer
 * is needed and a throttled tab cannot skew the numbers.
 */
export class PredictionLedger {
  private predictions = 0;
  private confirmed = 0;
  private falseAlarms = 0;
  private missed = 0;
  private episodes = 0;
  private leadSumMs = 0;
  private readonly open = new Set<KeyHealth>();
  /**
   * Open predictions whose key was forgotten (see `detach`), by key name. They are still
   * settled by timestamp, and go back to the key if it is tracked again within the horizon.
   */
  private readonly detached = new Map<string, Prediction>();

  constructor(private readonly horizonMs: number) {}

  /** Closes the key's open prediction as a false alarm once its horizon has passed. */
  expire(k: KeyHealth, at: number): void {
    const p = k.open;
    if (p !== undefined && at - p.at > this.horizonMs) {
      this.falseAlarms += 1;
      k.open = undefined;
      this.open.delete(k);
      // Risk that is still high when its prediction lapses is news again: re-arm, so the
      // next evaluation that finds it high predicts afresh (a prediction is a claim about
      // the next `horizonMs`, and a new horizon has begun).
      k.armed = true;
    }
  }

  expireAll(at: number): void {
    for (const k of this.open) this.expire(k, at);
    for (const [key, p] of this.detached) {
      if (at - p.at > this.horizonMs) {
        this.falseAlarms += 1;
        this.detached.delete(key);
      }
    }
  }

  /**
   * The predictor is about to forget `k`. Its open prediction stays open, held by key name:
   * settling it now would call it a false alarm before its horizon ran out, and dropping it
   * would leave a prediction that is never scored.
   */
  detach(k: KeyHealth): void {
    const p = k.open;
    if (p === undefined) return;
    this.detached.set(k.key, p);
    k.open = undefined;
    this.open.delete(k);
  }

  /** A forgotten key is tracked again: the prediction it left open is its own once more. */
  attach(k: KeyHealth): void {
    const p = this.detached.get(k.key);
    if (p === undefined) return;
    this.detached.delete(k.key);
    k.open = p;
    this.open.add(k);
  }

  opened(k: KeyHealth, p: Prediction): void {
    this.predictions += 1;
    k.open = p;
    this.open.add(k);
  }

  episodeStarted(k: KeyHealth, at: number): void {
    this.expire(k, at);
    this.episodes += 1;
    const p = k.open;
    if (p === undefined) {
      this.missed += 1;
      return;
    }
    const lead = at - p.at;
    this.confirmed += 1;
    this.leadSumMs += lead;
    // Confirmed (it was right) yet too late to act on: the episode still counts as missed.
    if (lead < MIN_LEAD_MS) this.missed += 1;
    k.open = undefined;
    this.open.delete(k);
  }

  active(): Prediction[] {
    const list: Prediction[] = [];
    for (const k of this.open) if (k.open) list.push(k.open);
    list.push(...this.detached.values());
    return list.sort((a, b) => a.at - b.at);
  }

  accuracy(): PredictionAccuracy {
    const resolved = this.confirmed + this.falseAlarms;
    return {
      predictions: this.predictions,
      confirmed: this.confirmed,
      falseAlarms: this.falseAlarms,
      missed: this.missed,
      precision: resolved === 0 ? 0 : this.confirmed / resolved,
      recall: this.episodes === 0 ? 0 : (this.episodes - this.missed) / this.episodes,
      meanLeadTimeMs: this.confirmed === 0 ? 0 : this.leadSumMs / this.confirmed,
    };
  }

  /** Episodes seen so far (the denominator of recall). */
  get episodeCount(): number {
    return this.episodes;
  }
}
