/**
 * The offline app shell: the page and its built files are cached when the worker installs,
 * so the app opens with no network at all. Only the shell is handled here; `/api/` calls
 * pass straight through, because the SDK in the page decides what a failed call means
 * (a cached list, a queued write) and must see the real failure to do so.
 */

/** The few pieces of the service worker global scope this uses (the DOM library lacks them). */
export interface ExtendableEventLike extends Event {
  waitUntil(promise: Promise<unknown>): void;
}
export interface FetchEventLike extends ExtendableEventLike {
  readonly request: Request;
  respondWith(response: Response | Promise<Response>): void;
}
export interface ShellScope {
  readonly location: { readonly origin: string };
  readonly caches: CacheStorage;
  readonly clients: { claim(): Promise<void> };
  skipWaiting(): Promise<void>;
  addEventListener(type: 'install' | 'activate', listener: (event: ExtendableEventLike) => void): void;
  addEventListener(type: 'fetch', listener: (event: FetchEventLike) => void): void;
}

const CACHE_PREFIX = 'field-notes-shell-';
/**
 * Servers often answer `Vary: Origin` (Vite's does), and the page's module scripts are
 * requested with an `Origin` header the install step did not send: the URL alone decides.
 */
const MATCH: CacheQueryOptions = { ignoreVary: true };
/** How long a page load waits for the network before the cached shell is served (a hanging server). */
const NAVIGATION_TIMEOUT_MS = 3_000;

export interface AppShellOptions {
  /** URLs of the page and its built files; empty under the dev server, where files are cached as they load. */
  precache: readonly string[];
  /** Names the cache: a new build is a new cache, and the old one is deleted when the new worker activates. */
  version: string;
}

export function installAppShell(scope: ShellScope, o: AppShellOptions): void {
  const cacheName = `${CACHE_PREFIX}${o.version}`;

  scope.addEventListener('install', (event) => {
    event.waitUntil(
      (async () => {
        const cache = await scope.caches.open(cacheName);
        // `cache: 'reload'` skips the HTTP cache, so the shell cached is the one just deployed.
        await cache.addAll(o.precache.map((url) => new Request(url, { cache: 'reload' })));
        // The demo takes over at once: a first visit is already protected when it goes offline.
        await scope.skipWaiting();
      })(),
    );
  });

  scope.addEventListener('activate', (event) => {
    event.waitUntil(
      (async () => {
        const names = await scope.caches.keys();
        await Promise.all(
          names
            .filter((name) => name.startsWith(CACHE_PREFIX) && name !== cacheName)
            .map((name) => scope.caches.delete(name)),
        );
        await scope.clients.claim();
      })(),
    );
  });

  scope.addEventListener('fetch', (event) => {
    const request = event.request;
    if (request.method !== 'GET') return;
    const url = new URL(request.url);
    if (url.origin !== scope.location.origin || url.pathname.startsWith('/api/')) return;
    if (request.mode === 'navigate') event.respondWith(navigation(request));
    else if (url.pathname.startsWith('/assets/')) event.respondWith(cacheFirst(request));
    else event.respondWith(networkFirst(request));
  });

  /** The page: fresh when the network answers in time, the cached shell otherwise (any path, any query). */
  async function navigation(request: Request): Promise<Response> {
    try {
      const response = await withTimeout(fetch(request), NAVIGATION_TIMEOUT_MS);
      if (response.ok) {
        const cache = await scope.caches.open(cacheName);
        await cache.put('/', response.clone());
      }
      return response;
    } catch (error) {
      const cache = await scope.caches.open(cacheName);
      const shell =
        (await cache.match('/', MATCH)) ?? (await cache.match(request, { ...MATCH, ignoreSearch: true }));
      if (shell) return shell;
      throw error;
    }
  }

  /** Built files have content hashes in their names: a cached one is never stale. */
  async function cacheFirst(request: Request): Promise<Response> {
    const cache = await scope.caches.open(cacheName);
    const cached = await cache.match(request, MATCH);
    if (cached) return cached;
    const response = await fetch(request);
    if (response.ok) await cache.put(request, response.clone());
    return response;
  }

  /** Everything else (dev server modules, the worker's own siblings): the network, the cache when it fails. */
  async function networkFirst(request: Request): Promise<Response> {
    const cache = await scope.caches.open(cacheName);
    try {
      const response = await fetch(request);
      if (response.ok) await cache.put(request, response.clone());
      return response;
    } catch (error) {
      const cached = await cache.match(request, MATCH);
      if (cached) return cached;
      throw error;
    }
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}
