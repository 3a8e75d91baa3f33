/** What kind of thing went wrong: drives retry, breaker counting, queueing and messages. */
export type FailureCategory =
  | 'offline'
  | 'network'
  | 'timeout'
  | 'server'
  | 'rate-limited'
  | 'auth'
  | 'client'
  | 'circuit-open'
  | 'bulkhead-full'
  | 'aborted'
  | 'storage'
  | 'unknown';

/** How much the failure matters to the user. */
export type Impact = 'critical' | 'high' | 'medium' | 'low' | 'negligible';

/** A classified failure: the one shape every module reasons about. */
export interface Failure {
  category: FailureCategory;
  retryable: boolean;
  impact: Impact;
  status?: number;
  retryAfterMs?: number;
  /** For developers: what happened, with status and URL. Not for the app's users. */
  message: string;
  /** The server's own explanation, fit to show a person ("Title must not be empty"), when it gave one. */
  detail?: string;
  cause: unknown;
}
