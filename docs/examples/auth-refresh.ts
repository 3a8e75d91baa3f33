// Recipe: fresh auth before every replay, and a session refresh when the server says 401 (the
// façade resumes the paused outbox once it succeeds). Quoted in docs/offline-writes.md.
import { createOutbox, createProtection, outboxHttp } from '@bulletproof/core';
import { session } from './app-helpers.js';

const protection = createProtection({
  outbox: (parts) =>
    createOutbox({
      ...parts,
      http: outboxHttp({
        prepare: async (req) => {
          const headers = new Headers(req.headers);
          headers.set('Authorization', `Bearer ${await session.accessToken()}`);
          return new Request(req, { headers });
        },
      }),
    }),
});
protection.recovery.register('auth', { name: 'refresh-session', run: () => session.refresh() });
