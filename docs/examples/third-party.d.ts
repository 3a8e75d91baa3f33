/* eslint-disable @typescript-eslint/no-extraneous-class -- these classes stand for the packages' own */
// The examples also show libraries this repository does not install (a service worker's
// precaching, server-side idempotency middlewares, TanStack Query). These declarations give
// the parts the examples use the shapes those packages document, so the examples still
// type-check; they are not the packages' own types. Installed packages (express,
// express-idempotency, workbox-window, cockatiel, @playwright/test, fake-indexeddb) are checked
// against their real types.

declare module 'workbox-precaching' {
  export interface PrecacheEntry {
    url: string;
    revision?: string | null;
    integrity?: string;
  }
  export type RouteHandlerCallback = (options: {
    request: Request;
    event: ExtendableEvent;
  }) => Promise<Response>;
  interface ExtendableEvent extends Event {
    waitUntil(promise: Promise<unknown>): void;
  }
  export function precacheAndRoute(entries: Array<PrecacheEntry | string>, options?: object): void;
  export function createHandlerBoundToURL(url: string): RouteHandlerCallback;
}

declare module 'workbox-routing' {
  import type { RouteHandlerCallback } from 'workbox-precaching';
  export class Route {}
  export class NavigationRoute extends Route {
    constructor(handler: RouteHandlerCallback, options?: { allowlist?: RegExp[]; denylist?: RegExp[] });
  }
  export function registerRoute(route: Route): Route;
}

declare module '@node-idempotency/express' {
  import type { RequestHandler } from 'express';
  export enum StorageAdapterEnum {
    memory = 'memory',
    redis = 'redis',
  }
  export function idempotencyAsMiddleware(options: {
    storage: { adapter: StorageAdapterEnum; options?: object };
  }): Promise<RequestHandler[]>;
}

declare module '@aws-lambda-powertools/idempotency' {
  export class IdempotencyConfig {
    constructor(options: { eventKeyJmesPath?: string; expiresAfterSeconds?: number });
  }
  export function makeIdempotent<F extends (...args: never[]) => unknown>(
    fn: F,
    options: { persistenceStore: object; config?: IdempotencyConfig },
  ): F;
}

declare module '@aws-lambda-powertools/idempotency/dynamodb' {
  export class DynamoDBPersistenceLayer {
    constructor(options: { tableName: string });
  }
}

declare module '@tanstack/react-query' {
  export const onlineManager: {
    setEventListener(setup: (setOnline: (online: boolean) => void) => (() => void) | undefined): void;
  };
  export function useQuery<T>(options: {
    queryKey: readonly unknown[];
    queryFn: (context: { signal: AbortSignal }) => Promise<T>;
  }): { data: T | undefined; error: Error | null };
  export function useMutation<T, V>(options: {
    networkMode?: 'online' | 'always' | 'offlineFirst';
    mutationFn: (variables: V) => Promise<T>;
  }): { mutate(variables: V): void; mutateAsync(variables: V): Promise<T> };
}
