import type { NextFunction, Request, Response } from 'express';

/**
 * What the backend does wrong, switched on and off by the tests:
 * - `unavailable`: answer 503 to every `/api` request until `untilMs`;
 * - `hang`: accept every `/api` request and never answer (until the mode changes);
 * - `lose-response`: apply each write, then drop its connection instead of answering —
 *   once per write (per `Idempotency-Key`, or per method, URL and body without one), so a
 *   replay the idempotency middleware answers gets through.
 */
export type FaultMode =
  { mode: 'none' } | { mode: 'unavailable'; forMs: number } | { mode: 'hang' } | { mode: 'lose-response' };

export interface FaultLog {
  /** Arrival time (epoch ms) of each request that was hung, 503'd or had its response dropped. */
  faulted: Array<{ at: number; method: string; url: string; fault: string }>;
}

const WRITES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** An express middleware, in front of the real backend, that injects `FaultMode`. */
export function createFaultSwitch() {
  let mode: FaultMode = { mode: 'none' };
  let unavailableUntil = 0;
  const hung = new Set<Response>();
  const dropped = new Set<string>();
  const log: FaultLog = { faulted: [] };

  function set(next: FaultMode): void {
    mode = next;
    unavailableUntil = next.mode === 'unavailable' ? Date.now() + next.forMs : 0;
    dropped.clear();
    if (next.mode !== 'hang') {
      // A hang that ends closes what it held, as a restarted server would.
      for (const res of hung) res.socket?.destroy();
      hung.clear();
    }
  }

  function middleware(req: Request, res: Response, next: NextFunction): void {
    if (!req.path.startsWith('/api/')) {
      next();
      return;
    }
    const record = (fault: string) =>
      log.faulted.push({ at: Date.now(), method: req.method, url: req.originalUrl, fault });
    if (mode.mode === 'unavailable' && Date.now() < unavailableUntil) {
      record('503');
      res.status(503).json({ error: 'unavailable' });
      return;
    }
    if (mode.mode === 'hang') {
      record('hang');
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return;
    }
    if (mode.mode === 'lose-response' && WRITES.has(req.method)) {
      const key =
        req.get('idempotency-key') ?? `${req.method} ${req.originalUrl} ${JSON.stringify(req.body)}`;
      if (!dropped.has(key)) {
        dropped.add(key);
        record('lose-response');
        // The write goes through; only its answer never arrives.
        res.end = function dropAnswer() {
          res.socket?.destroy();
          return res;
        } as Response['end'];
      }
    }
    next();
  }

  return {
    middleware,
    set,
    log,
    get mode() {
      return mode;
    },
  };
}
