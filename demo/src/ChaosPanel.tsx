import { useEffect, useState } from 'react';
import { CHAOS_ERROR_STATUSES, type ChaosSettings } from '../server/chaos-settings.js';
import { chaosClient } from './notes-client.js';

interface Form {
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

const calm: Form = {
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
function toSettings(form: Form): ChaosSettings {
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

/** Drives the demo API's fault injection at run time. */
export function ChaosPanel() {
  const [form, setForm] = useState<Form>(calm);
  const [active, setActive] = useState<ChaosSettings | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    chaosClient.get().then(setActive, (e: unknown) => setError(String(e)));
  }, []);

  async function apply(settings: ChaosSettings) {
    setError(null);
    try {
      setActive(await chaosClient.set(settings));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const checkbox = (key: 'hang' | 'drop' | 'loseResponse' | 'flapping' | 'ramp', label: string) => (
    <label className="check">
      <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
      {label}
    </label>
  );

  return (
    <section aria-labelledby="chaos-heading" className="chaos">
      <h2 id="chaos-heading">Chaos panel</h2>
      <form
        aria-label="Chaos controls"
        onSubmit={(event) => {
          event.preventDefault();
          void apply(toSettings(form));
        }}
      >
        <fieldset>
          <legend>Latency</legend>
          <label>
            Added latency (ms)
            <input
              name="latencyMs"
              type="number"
              min={0}
              step={50}
              value={form.latencyMs}
              onChange={(e) => set('latencyMs', Number(e.target.value))}
            />
          </label>
          <label>
            Jitter (ms)
            <input
              name="jitterMs"
              type="number"
              min={0}
              step={50}
              value={form.jitterMs}
              onChange={(e) => set('jitterMs', Number(e.target.value))}
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Errors</legend>
          <label>
            Error rate: {Math.round(form.errorRate * 100)} %
            <input
              name="errorRate"
              type="range"
              min={0}
              max={1}
              step={0.05}
              value={form.errorRate}
              onChange={(e) => set('errorRate', Number(e.target.value))}
            />
          </label>
          <label>
            Status
            <select
              name="errorStatus"
              value={form.errorStatus}
              onChange={(e) => set('errorStatus', Number(e.target.value) as Form['errorStatus'])}
            >
              {CHAOS_ERROR_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </select>
          </label>
          <label>
            Retry-After (s)
            <input
              name="retryAfterSeconds"
              type="number"
              min={0}
              value={form.retryAfterSeconds}
              onChange={(e) => set('retryAfterSeconds', e.target.value)}
            />
          </label>
        </fieldset>
        <fieldset>
          <legend>Connection</legend>
          {checkbox('hang', 'Hang (never answer)')}
          {checkbox('drop', 'Drop the connection')}
          {checkbox('loseResponse', 'Lose responses (apply writes, then drop)')}
        </fieldset>
        <fieldset>
          <legend>Schedules</legend>
          {checkbox('flapping', 'Flapping')}
          <label>
            Down (s)
            <input
              name="downSeconds"
              type="number"
              min={1}
              value={form.downSeconds}
              onChange={(e) => set('downSeconds', Number(e.target.value))}
            />
          </label>
          <label>
            Up (s)
            <input
              name="upSeconds"
              type="number"
              min={1}
              value={form.upSeconds}
              onChange={(e) => set('upSeconds', Number(e.target.value))}
            />
          </label>
          {checkbox('ramp', 'Slow decline (latency ramp, then failures)')}
          <label>
            Ramp over (s)
            <input
              name="rampSeconds"
              type="number"
              min={1}
              value={form.rampSeconds}
              onChange={(e) => set('rampSeconds', Number(e.target.value))}
            />
          </label>
          <label>
            Peak latency (ms)
            <input
              name="rampPeakMs"
              type="number"
              min={0}
              step={100}
              value={form.rampPeakMs}
              onChange={(e) => set('rampPeakMs', Number(e.target.value))}
            />
          </label>
        </fieldset>
        <div className="chaos-actions">
          <button type="submit">Apply chaos</button>
          <button
            type="button"
            onClick={() => {
              setForm(calm);
              void apply({});
            }}
          >
            Calm the server
          </button>
        </div>
      </form>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
      <p className="chaos-active" aria-live="polite">
        Active: <code data-testid="chaos-active">{active ? JSON.stringify(active) : '…'}</code>
      </p>
    </section>
  );
}
