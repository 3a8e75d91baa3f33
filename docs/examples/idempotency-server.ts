// The server side of exactly-once with express-idempotency, as the plain-app test backend
// (test/plain-app/server/backend.ts) wires it: the middleware stores each key's answer and
// replays it; the route must skip a hit. Quoted in docs/offline-writes.md.
import express from 'express';
import type { NextFunction, Request, Response } from 'express';
import { getSharedIdempotencyService, idempotency } from 'express-idempotency';

declare function saveNote(body: unknown): unknown;

const app = express();
const honourKeys = idempotency(); // in memory; pass `dataAdapter` to share it between servers

app.use(express.json(), (req: Request, res: Response, next: NextFunction) => {
  honourKeys(req, res, next).catch(next);
});
app.post('/api/notes', (req, res) => {
  if (getSharedIdempotencyService().isHit(req)) return; // answered already: don't apply it again
  // … apply the write; the middleware compares a repeat's body with the first, so don't mutate req.body
  res.status(201).json(saveNote(req.body));
});
