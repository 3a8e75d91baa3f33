import { useCallback, useEffect, useState } from 'react';
import { CHAOS_ERROR_STATUSES, type ChaosSettings } from '../../server/chaos-settings.js';
import { useDemo } from '../app/demo-context.js';
import { chaosClient } from './chaos-client.js';
import { CALM_FORM, toChaosSettings, type ChaosForm } from './chaos-form.js';
import { CHAOS_PRESETS } from './chaos-presets.js';
import { useServerStats } from './useServerStats.js';

/** JSON with sorted keys: the server answers with its own key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );
}

const sameSettings = (a: ChaosSettings | null, b: ChaosSettings) =>
  a !== null && canonical(a) === canonical(b);

/** Breaks the demo server on purpose: named situations, or every control by hand. */
export function ChaosPanel() {
  const { settings } = useDemo();
  const [form, setForm] = useState<ChaosForm>(CALM_FORM);
  const [active, setActive] = useState<ChaosSettings | null>(null);
  const [asked, setAsked] = useState<'asking' | 'answered' | 'unreachable'>('asking');
  const [error, setError] = useState<string | null>(null);
  const stats = useServerStats(settings.fast ? 500 : 2_000);

  const refreshActive = useCallback(() => {
    chaosClient.get().then(
      (settings) => {
        setActive(settings);
        setAsked('answered');
      },
      () => setAsked('unreachable'),
    );
  }, []);
  // Chaos may be changed from elsewhere (another tab, a script): keep the panel honest.
  useEffect(() => {
    refreshActive();
    const timer = setInterval(refreshActive, settings.fast ? 1_000 : 3_000);
    return () => clearInterval(timer);
  }, [refreshActive, settings.fast]);

  async function apply(next: ChaosSettings) {
    setError(null);
    try {
      setActive(await chaosClient.set(next));
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
  }

  const set = <K extends keyof ChaosForm>(key: K, value: ChaosForm[K]) =>
    setForm((f) => ({ ...f, [key]: value }));
  const checkbox = (key: 'hang' | 'drop' | 'loseResponse' | 'flapping' | 'ramp', label: string) => (
    <label className="check">
      <input type="checkbox" name={key} checked={form[key]} onChange={(e) => set(key, e.target.checked)} />
      {label}
    </label>
  );
  const number = (
    key: 'latencyMs' | 'jitterMs' | 'downSeconds' | 'upSeconds' | 'rampSeconds' | 'rampPeakMs',
    label: string,
    step = 1,
  ) => (
    <label>
      {label}
      <input
        name={key}
        type="number"
        min={0}
        step={step}
        value={form[key]}
        onChange={(e) => set(key, Number(e.target.value))}
      />
    </label>
  );

  const calm = active !== null && Object.keys(active).length === 0;
  const preset = CHAOS_PRESETS.find((p) => sameSettings(active, p.settings));

  return (
    <section aria-labelledby="chaos-heading" className="chaos panel">
      <h2 id="chaos-heading">Chaos panel</h2>
      <p className="hint">Break the server on purpose, then keep writing notes.</p>
      <div className="presets" role="group" aria-label="Chaos presets">
        {CHAOS_PRESETS.map((p) => (
          <button
            key={p.name}
            type="button"
            title={p.description}
            aria-pressed={preset === p}
            onClick={() => void apply(p.settings)}
          >
            {p.name}
          </button>
        ))}
        <button
          type="button"
          className="calm"
          aria-pressed={calm}
          onClick={() => {
            setForm(CALM_FORM);
            void apply({});
          }}
        >
          Calm the server
        </button>
      </div>
      <p className="chaos-state" aria-live="polite" data-testid="chaos-state">
        {asked === 'unreachable'
          ? "This tab can't reach the demo server right now."
          : active === null
            ? 'Asking the server…'
            : calm
              ? 'The server is healthy.'
              : preset
                ? `${preset.name}: ${preset.description}`
                : 'Custom chaos is on.'}
      </p>

      {stats && (
        <dl className="server-stats" data-testid="server-stats">
          <dt>Notes on the server</dt>
          <dd data-testid="server-notes">{stats.notes}</dd>
          <dt>Writes applied</dt>
          <dd data-testid="server-writes">{stats.writesApplied}</dd>
          <dt>Duplicates suppressed</dt>
          <dd data-testid="server-duplicates">{stats.duplicatesSuppressed}</dd>
          <dt>Faults injected</dt>
          <dd>
            {Object.values(stats.faults).reduce((sum, n) => sum + n, 0)} of {stats.requests} requests
          </dd>
        </dl>
      )}

      <details className="fine-tune">
        <summary>Fine-tune every control</summary>
        <form
          aria-label="Chaos controls"
          onSubmit={(event) => {
            event.preventDefault();
            void apply(toChaosSettings(form));
          }}
        >
          <fieldset>
            <legend>Latency</legend>
            {number('latencyMs', 'Added latency (ms)', 50)}
            {number('jitterMs', 'Jitter (ms)', 50)}
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
                onChange={(e) => set('errorStatus', Number(e.target.value) as ChaosForm['errorStatus'])}
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
            {checkbox('flapping', 'Flapping (down, up, down…)')}
            {number('downSeconds', 'Down (s)')}
            {number('upSeconds', 'Up (s)')}
            {checkbox('ramp', 'Slow decline (latency ramp, then failures)')}
            {number('rampSeconds', 'Ramp over (s)')}
            {number('rampPeakMs', 'Peak latency (ms)', 100)}
          </fieldset>
          <button type="submit" className="primary">
            Apply chaos
          </button>
        </form>
        <p className="chaos-active">
          Active: <code data-testid="chaos-active">{active ? JSON.stringify(active) : '…'}</code>
        </p>
      </details>
      {error && (
        <p role="alert" className="error">
          {error}
        </p>
      )}
    </section>
  );
}
