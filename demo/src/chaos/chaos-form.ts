import type { CHAOS_ERROR_STATUSES, ChaosSettings } from '../../server/chaos-settings.js';

/** The chaos panel's controls, as the form holds them. */
export interface ChaosForm {
  latencyMs: number;
  jitterMs: number;
  errorRate: number;
  errorStatus: (typeof CHAOS_ERROR_STATUSES)[number];
  retryAfterSeconds: string;
  hang: boolean;
  drop: boolean;
  loseResponse: boolean;
  flapping: boolean;
  downSeconds: number;
  upSeconds: number;
  ramp: boolean;
  rampSeconds: number;
  rampPeakMs: number;
}

export const CALM_FORM: ChaosForm = {
  latencyMs: 0,
  jitterMs: 0,
  errorRate: 0,
  errorStatus: 503,
  retryAfterSeconds: '',
  hang: false,
  drop: false,
  loseResponse: false,
  flapping: false,
  downSeconds: 5,
  upSeconds: 10,
  ramp: false,
  rampSeconds: 30,
  rampPeakMs: 3_000,
};

/** Turns the form into the API's settings, leaving out every control that is off. */
export function toChaosSettings(form: ChaosForm): ChaosSettings {
  const settings: ChaosSettings = {};
  if (form.latencyMs > 0 || form.jitterMs > 0)
    settings.latency = { fixedMs: form.latencyMs, jitterMs: form.jitterMs };
  if (form.errorRate > 0) {
    settings.errorRate = form.errorRate;
    settings.errorStatus = form.errorStatus;
  }
  if (form.retryAfterSeconds !== '') settings.retryAfterSeconds = Number(form.retryAfterSeconds);
  if (form.hang) settings.hang = true;
  if (form.drop) settings.drop = true;
  if (form.loseResponse) settings.loseResponse = true;
  if (form.flapping) settings.flapping = { downMs: form.downSeconds * 1000, upMs: form.upSeconds * 1000 };
  if (form.ramp)
    settings.ramp = { durationMs: form.rampSeconds * 1000, peakLatencyMs: form.rampPeakMs, then: 'error' };
  return settings;
}
