import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { getSharedIdempotencyService, idempotency } from 'express-idempotency';
import type { IIdempotencyDataAdapter, IdempotencyResource } from 'express-idempotency';
import jsonServer from 'json-server';
import { createFaultSwitch, type FaultMode } from './faults.js';

// An ordinary REST backend made of third-party parts: express-idempotency in front of a
// json-server router, as a small team would put one together. The fault switch in front
// of it and the `/__test` routes are the tests' only additions.

/** express-idempotency's in-memory store, but one the tests can empty between runs. */
class MemoryAdapter implements IIdempotencyDataAdapter {
  readonly records = new Map<string, IdempotencyResource>();
  findByIdempotencyKey(key: string) {
    return Promise.resolve(this.records.get(key) ?? null);
  }
  create(resource: IdempotencyResource) {
    this.records.set(resource.idempotencyKey, resource);
    return Promise.resolve();
  }
  update(resource: IdempotencyResource) {
    this.records.set(resource.idempotencyKey, resource);
    return Promise.resolve();
  }
  delete(key: string) {
    this.records.delete(key);
    return Promise.resolve();
  }
}

export function createBackend() {
  const app = express();
  const faults = createFaultSwitch();
  const store = new MemoryAdapter();
  const api = jsonServer.router({ todos: [] });

  app.use('/api', express.json());
  app.use(faults.middleware);
  app.get('/api/health', (_req, res) => {
    res.sendStatus(204);
  });
  const honourKeys = idempotency({ dataAdapter: store });
  app.use(
    '/api',
    (req: Request, res: Response, next: NextFunction) => {
      honourKeys(req, res, next).catch(next);
    },
    (req: Request, res: Response, next: NextFunction) => {
      // express-idempotency has already answered a repeated key: the write must not run again.
      if (getSharedIdempotencyService().isHit(req)) return;
      // json-server adds an id to the body it is handed; the middleware compares the original.
      req.body = structuredClone(req.body as unknown);
      api(req, res, next);
    },
  );

  app.use('/__test', express.json());
  app.put('/__test/faults', (req, res) => {
    faults.set(req.body as FaultMode);
    res.sendStatus(204);
  });
  app.post('/__test/reset', (_req, res) => {
    faults.set({ mode: 'none' });
    faults.log.faulted.length = 0;
    store.records.clear();
    api.db.setState({ todos: [] });
    res.sendStatus(204);
  });
  app.get('/__test/state', (_req, res) => {
    res.json({ todos: api.db.getState().todos, faulted: faults.log.faulted, now: Date.now() });
  });

  return app;
}
