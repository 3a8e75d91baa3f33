// json-server 0.17 ships no types; this is the part of its API the backend uses.
declare module 'json-server' {
  import type { Router } from 'express';

  interface LowDb {
    getState(): Record<string, unknown>;
    setState(state: Record<string, unknown>): LowDb;
  }

  const jsonServer: {
    /** An express router serving the collections of `db` (kept in memory when given an object). */
    router(db: Record<string, unknown[]>): Router & { db: LowDb };
  };
  export default jsonServer;
}
