import type { IncomingMessage, ServerResponse } from 'node:http';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as z from 'zod/mini';
import type { Clock } from '@bulletproof/core';
import { ChaosController, isControlPath, isWriteMethod, type ChaosDecision } from './chaos.js';
import { chaosSettingsSchema, type ChaosSettings } from './chaos-settings.js';
import { apiError, json, readBody, sendResponse, type ApiResponse } from './http-response.js';
import { InFlightKeys, MAX_IDEMPOTENCY_KEY_LENGTH, requestFingerprint } from './idempotency.js';
import { invalid, matchRoute, parseJsonBody, type RouteMatch } from './notes-routes.js';
import { randomSeed } from './prng.js';
import { guardRequest } from './request-guard.js';
import { StatsCounter, type DemoApiStats } from './stats.js';
import { NotesStore, type IdempotencyRecord } from './store.js';
import { describeIssues, validate } from './validation.js';

export interface DemoApiOptions {
  /** Where the notes file lives; default `demo/.data` (git-ignored). */
  dataDir?: string;
  /** Seeds chaos decisions until a chaos PUT brings its own seed; default random. */
  seed?: number;
  clock?: Clock;
  /** How long a write's idempotency record is kept; default 24 hours. */
  idempotencyTtlMs?: number;
  /** Bodies larger than this are refused with 413; default 1 MiB. */
  maxBodyBytes?: number;
  /** Where operational warnings go; default `console.warn`. */
  log?: (message: string) => void;
  /**
   * Host names (without port) the API answers on besides loopback ones. Any other `Host` is
   * refused (DNS rebinding), as are cross-origin writes and writes whose body is not JSON.
   */
  allowedHosts?: string[];
}

/** A connect-style middleware: Vite's dev and preview servers and plain `node:http` can all run it. */
export type DemoApiMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

export interface DemoApi {
  /** Answers `/api` and `/api/*`; passes every other request to `next`. */
  readonly middleware: DemoApiMiddleware;
  /** The live chaos settings; assigning validates (TypeError naming the field) and applies them. */
  chaos: ChaosSettings;
  /** Resolves once the notes file is loaded; requests made earlier wait for it. */
  readonly ready: Promise<void>;
  readonly dataFile: string;
  stats(): DemoApiStats;
  /** Clears notes, idempotency records, stats and chaos, and releases hanging requests. */
  reset(): Promise<void>;
  /** Releases hanging and delayed requests (their sockets are destroyed) and waits for pending writes. */
  close(): Promise<void>;
}

export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../.data', import.meta.url));
export const DATA_FILE_NAME = 'notes.json';
const DEFAULT_IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

const isFunction = (value: unknown): boolean => typeof value === 'function';

const optionsSchema = z.object({
  dataDir: z.optional(z.string().check(z.minLength(1))),
  seed: z.optional(z.int().check(z.gte(0), z.lte(0xffffffff))),
  clock: z.optional(
    z.custom<Clock>(
      (value: unknown) =>
        typeof value === 'object' &&
        value !== null &&
        ['now', 'setTimeout', 'clearTimeout'].every((name) =>
          isFunction((value as Record<string, unknown>)[name]),
        ),
      { error: 'expected a Clock with now, setTimeout and clearTimeout' },
    ),
  ),
  idempotencyTtlMs: z.optional(z.int().check(z.gte(1))),
  maxBodyBytes: z.optional(z.int().check(z.gte(1))),
  log: z.optional(z.custom<(message: string) => void>(isFunction, { error: 'expected a function' })),
  allowedHosts: z.optional(z.array(z.string().check(z.minLength(1)))),
});

/** Used when no clock is injected; looked up at call time so fake timers apply. */
const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => globalThis.setTimeout(fn, ms),
  clearTimeout: (handle) => {
    globalThis.clearTimeout(handle as ReturnType<typeof globalThis.setTimeout>);
  },
};

/** Thrown into requests that are still waiting when the API closes. */
class ApiClosedError extends Error {
  constructor() {
    super('The demo API is closed.');
  }
}

/**
 * Creates the demo's local API: the notes resource with exactly-once writes
 * (`Idempotency-Key`), the chaos controls and the stats tests use to prove
 * effects. Chaos is decided per request by `ChaosController` before the
 * request is handled; this layer only carries the decision out.
 */
export function createDemoApi(options: DemoApiOptions = {}): DemoApi {
  const checked = validate(optionsSchema, options);
  if (!checked.ok) throw new TypeError(`createDemoApi: invalid option ${describeIssues(checked.issues)}`);
  const settings = checked.value;
  const clock = settings.clock ?? systemClock;
  const log = settings.log ?? ((message: string) => console.warn(message));
  const maxBodyBytes = settings.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const dataFile = join(settings.dataDir ?? DEFAULT_DATA_DIR, DATA_FILE_NAME);

  const guard = settings.allowedHosts ? { allowedHosts: settings.allowedHosts } : {};
  const chaos = new ChaosController(clock, settings.seed ?? randomSeed());
  const counter = new StatsCounter(clock.now());
  const inFlight = new InFlightKeys();
  const hanging = new Set<ServerResponse>();
  const sleeping = new Set<() => void>();
  let opened: NotesStore | undefined;
  let closing: Promise<void> | undefined;

  const storeReady = NotesStore.open(dataFile, {
    clock,
    idempotencyTtlMs: settings.idempotencyTtlMs ?? DEFAULT_IDEMPOTENCY_TTL_MS,
    log,
  }).then((store) => {
    opened = store;
    return store;
  });
  const ready = storeReady.then(() => undefined);
  // Requests report a failed load themselves; this only keeps an unobserved failure from crashing the process.
  ready.catch(() => undefined);

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const cancel = () => {
        clock.clearTimeout(handle);
        reject(new ApiClosedError());
      };
      const handle = clock.setTimeout(() => {
        sleeping.delete(cancel);
        resolve();
      }, ms);
      sleeping.add(cancel);
    });
  }

  function hang(res: ServerResponse): void {
    hanging.add(res);
    res.on('close', () => hanging.delete(res));
  }

  function releaseHanging(): void {
    for (const res of hanging) res.destroy();
    hanging.clear();
  }

  function snapshot(): DemoApiStats {
    return {
      since: counter.since,
      requests: counter.requests,
      writesApplied: counter.writesApplied,
      duplicatesSuppressed: counter.duplicatesSuppressed,
      duplicatesWaited: counter.duplicatesWaited,
      byRoute: { ...counter.byRoute },
      faults: { ...counter.faults },
      hanging: hanging.size,
      notes: opened?.noteCount ?? 0,
      idempotencyRecords: opened?.recordCount ?? 0,
      chaos: chaos.status(),
    };
  }

  function applyChaos(value: unknown): ReturnType<typeof validate<ChaosSettings>> {
    const result = validate(chaosSettingsSchema, value);
    if (result.ok) chaos.apply(result.value);
    return result;
  }

  async function reset(): Promise<void> {
    const store = await storeReady;
    releaseHanging();
    chaos.reset();
    counter.reset(clock.now());
    await store.clear();
  }

  async function handleControl(method: string, path: string, req: IncomingMessage): Promise<ApiResponse> {
    const only = (allowed: string, answer: () => ApiResponse | Promise<ApiResponse>) =>
      allowed.split(', ').includes(method)
        ? answer()
        : apiError(405, 'method_not_allowed', `${method} is not allowed on ${path}.`, {
            headers: { allow: allowed },
          });
    switch (path) {
      case '/api/_chaos':
        if (method !== 'PUT') return only('GET, PUT', () => json(200, chaos.settings));
        return putChaos(req);
      case '/api/_stats':
        return only('GET', () => json(200, snapshot()));
      case '/api/_reset':
        return only('POST', async () => {
          await reset();
          return { status: 204 };
        });
      default:
        return apiError(404, 'not_found', `No API route for ${method} ${path}.`);
    }
  }

  async function putChaos(req: IncomingMessage): Promise<ApiResponse> {
    const body = await readBody(req, maxBodyBytes);
    if (!body.ok) return tooLarge();
    const parsed = parseJsonBody(body.text);
    if (!parsed.ok) return parsed.response;
    const result = applyChaos(parsed.value);
    return result.ok ? json(200, chaos.settings) : invalid(result.issues);
  }

  function tooLarge(): ApiResponse {
    return apiError(413, 'payload_too_large', `The request body exceeds ${maxBodyBytes} bytes.`, {
      headers: { connection: 'close' },
    });
  }

  /** Answers a duplicate from its record, unless the key is being reused for a different request. */
  function replay(record: IdempotencyRecord, fingerprint: string): ApiResponse {
    if (record.fingerprint !== fingerprint) {
      return apiError(
        422,
        'idempotency_key_reused',
        'This Idempotency-Key was already used for a different request; use a new key for a new operation.',
      );
    }
    counter.duplicatesSuppressed += 1;
    const headers: Record<string, string> = { 'idempotent-replayed': 'true' };
    if (record.location !== undefined) headers.location = record.location;
    return { status: record.status, body: record.body, headers };
  }

  async function runRoute(
    route: RouteMatch,
    store: NotesStore,
    method: string,
    bodyText: string,
    idempotency: { key: string; fingerprint: string } | undefined,
  ): Promise<ApiResponse> {
    if (route.kind === 'miss') return route.response;
    const response = await route.handler({
      store,
      now: clock.now(),
      bodyText,
      params: route.params,
      remember: (answer) =>
        idempotency && {
          ...idempotency,
          status: answer.status,
          body: answer.body,
          location: answer.headers?.location,
          createdAt: clock.now(),
        },
    });
    if (isWriteMethod(method) && response.status >= 200 && response.status < 300) counter.writesApplied += 1;
    return response;
  }

  function injectedFailure(decision: ChaosDecision & { action: 'error' }): ApiResponse {
    const headers: Record<string, string> = { 'x-demo-chaos': decision.cause };
    if (decision.retryAfterSeconds !== undefined) headers['retry-after'] = String(decision.retryAfterSeconds);
    return apiError(
      decision.status,
      'injected_failure',
      `Chaos: injected ${decision.status} (${decision.cause}).`,
      {
        headers,
      },
    );
  }

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    method: string,
    path: string,
  ): Promise<void> {
    if (closing) {
      sendResponse(res, apiError(503, 'unavailable', 'The demo API is shutting down.'));
      return;
    }
    const store = await storeReady;
    if (isControlPath(path)) {
      sendResponse(res, await handleControl(method, path, req));
      return;
    }

    const route = matchRoute(method, path);
    counter.countRequest(route.label);
    const decision = chaos.decide({ method, path });
    counter.countDecision(decision);
    if (decision.action === 'hang') {
      hang(res);
      return;
    }

    const write = isWriteMethod(method);
    let bodyText = '';
    if (write) {
      const body = await readBody(req, maxBodyBytes);
      if (!body.ok) {
        sendResponse(res, tooLarge());
        return;
      }
      bodyText = body.text;
    }

    const key = write ? req.headers['idempotency-key'] : undefined;
    if (
      key !== undefined &&
      (typeof key !== 'string' || key === '' || key.length > MAX_IDEMPOTENCY_KEY_LENGTH)
    ) {
      sendResponse(
        res,
        apiError(
          400,
          'invalid_idempotency_key',
          `Idempotency-Key must be 1 to ${MAX_IDEMPOTENCY_KEY_LENGTH} characters.`,
        ),
      );
      return;
    }

    // Exactly-once: wait while another request holds the key, then replay its
    // stored answer or, when it stored none (it failed), claim the key and run.
    // Nothing awaits between looking and claiming, so two requests cannot both claim.
    const idempotency =
      key === undefined ? undefined : { key, fingerprint: requestFingerprint(method, path, bodyText) };
    let record: IdempotencyRecord | undefined;
    let release: (() => void) | undefined;
    if (idempotency && route.kind === 'route') {
      let waited = false;
      for (;;) {
        const busy = inFlight.whenFree(idempotency.key);
        if (busy) {
          waited = true;
          await busy;
          continue;
        }
        record = store.record(idempotency.key);
        if (!record) release = inFlight.claim(idempotency.key);
        break;
      }
      if (waited) counter.duplicatesWaited += 1;
    }

    try {
      if (decision.delayMs > 0) await sleep(decision.delayMs);
      if (decision.action === 'drop') {
        req.socket.destroy();
        return;
      }
      if (decision.action === 'error') {
        sendResponse(res, injectedFailure(decision));
        return;
      }
      if (decision.action === 'reject') {
        sendResponse(
          res,
          apiError(decision.status, 'rejected', decision.message, { headers: { 'x-demo-chaos': 'reject' } }),
        );
        return;
      }
      const response = record
        ? replay(record, idempotency?.fingerprint ?? '')
        : await runRoute(route, store, method, bodyText, idempotency);
      // The write is applied and on disk; the client never learns it.
      if (decision.action === 'lose-response') req.socket.destroy();
      else sendResponse(res, response);
    } finally {
      release?.();
    }
  }

  const middleware: DemoApiMiddleware = (req, res, next) => {
    const path = pathOf(req.url);
    if (path !== '/api' && !path.startsWith('/api/')) {
      next();
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const refused = guardRequest(req, method, isWriteMethod(method), guard);
    if (refused) {
      // Not read: the body of a refused request is never looked at.
      res.setHeader('connection', 'close');
      sendResponse(res, refused);
      return;
    }
    handle(req, res, method, path).catch((error: unknown) => {
      if (error instanceof ApiClosedError || req.socket.destroyed) {
        req.socket.destroy();
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      log(`demo API: ${method} ${path} failed: ${message}`);
      if (res.headersSent) res.destroy();
      else sendResponse(res, apiError(500, 'internal_error', message));
    });
  };

  return {
    middleware,
    get chaos(): ChaosSettings {
      // A copy: changing the live settings must go through validation.
      return structuredClone(chaos.settings);
    },
    set chaos(value: ChaosSettings) {
      const result = applyChaos(value);
      if (!result.ok) throw new TypeError(`Invalid chaos settings: ${describeIssues(result.issues)}`);
    },
    ready,
    dataFile,
    stats: snapshot,
    reset,
    close() {
      closing ??= (async () => {
        releaseHanging();
        for (const cancel of sleeping) cancel();
        sleeping.clear();
        const store = await storeReady.catch(() => undefined);
        await store?.close();
      })();
      return closing;
    },
  };
}

/** The path without query, and without a trailing slash so `/api/notes/` routes like `/api/notes`. */
function pathOf(url: string | undefined): string {
  const path = (url ?? '/').split('?', 1)[0] ?? '/';
  return path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
}
