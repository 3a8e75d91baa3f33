// A recovery action for auth failures. Quoted in docs/getting-started.md.
import { createProtection } from '@bulletproof/core';

const protection = createProtection();

protection.recovery.register('auth', {
  name: 'refresh-token',
  run: async () => (await fetch('/api/session/refresh', { method: 'POST' })).ok,
  cooldownMs: 30_000,
});
