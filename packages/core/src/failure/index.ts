export type { Failure, FailureCategory, Impact } from './types.js';
export { CircuitOpenError, HttpError, TimeoutError } from './errors.js';
export type { HttpErrorInit } from './errors.js';
export { parseRetryAfter } from './retry-after.js';
export { classifyFailure } from './classify.js';
export { isAmbiguous } from './ambiguous.js';
export type { ClassifyHints } from './classify.js';
export { fetchOk } from './fetch-ok.js';
