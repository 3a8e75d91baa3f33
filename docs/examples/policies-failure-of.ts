// Values that are failures: plain `fetch` returning a Response, and a GraphQL client that
// resolves with `errors` instead of throwing. Quoted in docs/policies.md.
import { circuitBreaker, failedResponse, HttpError, pipeline, retry } from '@bulletproof/core';

// A 503 or a 429 is retried (after its Retry-After) and counted by the breaker; the caller
// still gets a Response, the last one when retry gives up, and reads its status itself.
const api = pipeline(
  retry({ maxAttempts: 3, failureOf: failedResponse }),
  circuitBreaker({ name: 'api', failureOf: failedResponse }),
);
export const res: Response = await api.execute(({ signal }) => fetch('/api/user', { signal }));

interface GraphQLResult {
  data?: unknown;
  errors?: { message: string; extensions?: { code?: string } }[];
}
declare function query(text: string, signal: AbortSignal): Promise<GraphQLResult>;

// The server said it is overloaded: describe it as the 503 it stands for.
const graphqlFailure = (value: unknown) =>
  (value as GraphQLResult).errors?.some((e) => e.extensions?.code === 'UNAVAILABLE')
    ? new HttpError(503, { message: 'GraphQL: service unavailable' })
    : undefined;

export const result = await retry({ failureOf: graphqlFailure }).execute(({ signal }) =>
  query('{ me { name } }', signal),
);
