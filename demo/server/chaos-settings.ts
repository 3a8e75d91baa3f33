import * as z from 'zod/mini';

/**
 * The chaos controls of the demo API, as accepted by `PUT /api/_chaos`.
 * This file has no Node imports so the demo app's chaos panel can share the
 * schema and the types. An empty object means "no chaos".
 */

/** Statuses an injected transient failure may use: what a struggling server or gateway sends. */
export const CHAOS_ERROR_STATUSES = [500, 502, 503, 429] as const;
/** Statuses a forced rejection may use: permanent answers a client must not retry. */
export const CHAOS_REJECT_STATUSES = [400, 403, 404, 409, 410, 422] as const;
/** The status used when an injected failure names none: retryable, and what a load shedder sends. */
export const DEFAULT_CHAOS_ERROR_STATUS = 503;

const MAX_DELAY_MS = 600_000;
const durationMs = z.int().check(z.gte(0), z.lte(MAX_DELAY_MS));
const positiveDurationMs = z.int().check(z.gte(1), z.lte(MAX_DELAY_MS));
const probability = z.number().check(z.gte(0), z.lte(1));
/** `true` means always, `false` never, a number the probability per request. */
const switchOrProbability = z.union([z.boolean(), probability]);
const errorStatus = z.literal(CHAOS_ERROR_STATUSES);
const apiPathPrefix = z.string().check(z.startsWith('/api/'), z.maxLength(200));

export const chaosSettingsSchema = z.strictObject({
  /** Restarts the fault sequence from this seed on every PUT that carries it. */
  seed: z.optional(z.int().check(z.gte(0), z.lte(0xffffffff))),
  /** Only requests with these methods suffer chaos (default: all). */
  methods: z.optional(z.array(z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']))),
  /** Only requests whose path starts with one of these prefixes suffer chaos (default: all). */
  paths: z.optional(z.array(apiPathPrefix)),
  latency: z.optional(z.strictObject({ fixedMs: z.optional(durationMs), jitterMs: z.optional(durationMs) })),
  errorRate: z.optional(probability),
  errorStatus: z.optional(errorStatus),
  /** Sent as `Retry-After` on every injected failure. */
  retryAfterSeconds: z.optional(z.int().check(z.gte(0), z.lte(86_400))),
  /** Never answer. */
  hang: z.optional(switchOrProbability),
  /** Destroy the socket without answering. */
  drop: z.optional(switchOrProbability),
  /** Writes only: apply the write, then destroy the socket instead of answering. */
  loseResponse: z.optional(switchOrProbability),
  /** Down for `downMs`, then up for `upMs`, repeating; starts down when set. */
  flapping: z.optional(
    z.strictObject({
      downMs: positiveDurationMs,
      upMs: positiveDurationMs,
      mode: z.optional(z.enum(['error', 'drop', 'hang'])),
      status: z.optional(errorStatus),
    }),
  ),
  /** Latency rising linearly over `durationMs` from when set, then every request fails. */
  ramp: z.optional(
    z.strictObject({
      durationMs: positiveDurationMs,
      startLatencyMs: z.optional(durationMs),
      peakLatencyMs: durationMs,
      then: z.optional(z.enum(['error', 'hang'])),
      status: z.optional(errorStatus),
    }),
  ),
  /** Writes only: reject the next `count` writes (all while set, without count) with a permanent status. */
  reject: z.optional(
    z.strictObject({
      status: z.optional(z.literal(CHAOS_REJECT_STATUSES)),
      count: z.optional(z.int().check(z.gte(1))),
      match: z.optional(apiPathPrefix),
      message: z.optional(z.string().check(z.maxLength(500))),
    }),
  ),
});

export type ChaosSettings = z.infer<typeof chaosSettingsSchema>;
