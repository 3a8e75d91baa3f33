// Two more ways to honour Idempotency-Key on the server. Quoted in docs/offline-writes.md.
import express from 'express';
import { idempotencyAsMiddleware, StorageAdapterEnum } from '@node-idempotency/express';
import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';

declare function saveNote(event: unknown): Promise<unknown>;

// @node-idempotency/express (Nest: NodeIdempotencyModule.forRootAsync(same options) + @Idempotent())
const app = express();
app.use(
  express.json(),
  ...(await idempotencyAsMiddleware({ storage: { adapter: StorageAdapterEnum.memory } })),
);

// AWS Lambda: Powertools for AWS Lambda (TypeScript)
export const handler = makeIdempotent(saveNote, {
  persistenceStore: new DynamoDBPersistenceLayer({ tableName: 'idempotency' }),
  config: new IdempotencyConfig({ eventKeyJmesPath: 'headers."idempotency-key"' }), // HTTP API: lower case
});
