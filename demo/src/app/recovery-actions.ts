import type { Protection } from '@bulletproof/core';
import type { DemoSettings } from './demo-settings.js';

/**
 * What the app does by itself when calls fail, beyond retrying them: ask the health
 * endpoint at once instead of at the next probe, and, once the server answers again,
 * deliver the queued writes straight away instead of at their next backoff. Each runs at
 * most once per cooldown; their runs and success rates are on the status dashboard.
 */
export function registerRecoveryActions(protection: Protection, s: DemoSettings): () => void {
  const recheck = async () => (await protection.connectivity.check()).status === 'online';
  const unregister = [
    protection.recovery.register('network', {
      name: 'recheck-connection',
      run: recheck,
      cooldownMs: s.recoveryCooldownMs,
    }),
    protection.recovery.register('timeout', {
      name: 'recheck-after-timeout',
      run: recheck,
      cooldownMs: s.recoveryCooldownMs,
    }),
    protection.recovery.register('server', {
      name: 'flush-outbox-when-healthy',
      run: async () => {
        if (!(await recheck()) || !protection.outbox) return false;
        const report = await protection.outbox.drain();
        return report.skipped === undefined || report.skipped === 'not-leader';
      },
      cooldownMs: s.recoveryCooldownMs,
    }),
  ];
  return () => {
    for (const off of unregister) off();
  };
}
