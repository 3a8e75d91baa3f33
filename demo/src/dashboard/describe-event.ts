import type { HttpPayload, OutboxEntry, OutboxEvent, PolicyEvent, ProtectionEvent } from '@bulletproof/core';

export type LogTone = 'info' | 'good' | 'warn' | 'bad';

export interface LogLine {
  tone: LogTone;
  text: string;
  /** What the line is about, for filtering and tests: `call`, `outbox`, `breaker`, … */
  topic: string;
}

/** `PUT /api/notes/n-…` for a queued request, the entry's type otherwise. */
function what(entry: OutboxEntry): string {
  if (entry.type !== 'http') return entry.type;
  const { method, url } = entry.payload as HttpPayload;
  try {
    return `${method} ${new URL(url).pathname}`;
  } catch {
    return `${method} ${url}`;
  }
}

function outbox(e: OutboxEvent): LogLine | undefined {
  switch (e.type) {
    case 'enqueued':
      return { topic: 'outbox', tone: 'info', text: `queued ${what(e.entry)}` };
    case 'delivered':
      return {
        topic: 'outbox',
        tone: 'good',
        text: `delivered ${what(e.entry)}${e.remote ? ' (by another tab or the service worker)' : ''}`,
      };
    case 'retry-scheduled':
      return {
        topic: 'outbox',
        tone: 'warn',
        text: `will retry ${what(e.entry)} in ${Math.round(e.delayMs)} ms (${e.failure.category})`,
      };
    case 'dead-lettered':
      return { topic: 'outbox', tone: 'bad', text: `gave up on ${what(e.entry)}: ${e.reason}` };
    case 'discarded':
      return { topic: 'outbox', tone: 'info', text: `discarded ${e.ids.length} change(s)` };
    case 'quarantined':
      return { topic: 'outbox', tone: 'bad', text: `quarantined an unreadable entry` };
    case 'auth-required':
      return { topic: 'outbox', tone: 'warn', text: 'paused: sign-in needed' };
    case 'storage-fallback':
      return { topic: 'outbox', tone: 'bad', text: 'storage unavailable: keeping changes in memory' };
  }
}

function policy(dependency: string, e: PolicyEvent): LogLine | undefined {
  switch (e.type) {
    case 'retry':
      return {
        topic: 'retry',
        tone: 'warn',
        text: `${dependency}: attempt ${e.attempt} failed (${e.failure.category}), retrying in ${Math.round(e.delayMs)} ms`,
      };
    case 'breaker-state':
      return {
        topic: 'breaker',
        tone: e.to === 'closed' ? 'good' : e.to === 'half-open' ? 'info' : 'bad',
        text: `${dependency}: breaker ${e.from} → ${e.to}`,
      };
    case 'timeout':
      return { topic: 'timeout', tone: 'warn', text: `${dependency}: no answer after ${e.afterMs} ms` };
    default:
      // Successes, failures and give-ups are logged once per call, as `call` lines.
      return undefined;
  }
}

/**
 * One line per event worth a person's attention. Successful reads (the list refreshing
 * every few seconds) and per-attempt policy outcomes are left out: they would drown the rest.
 */
export function describeEvent(e: ProtectionEvent): LogLine | undefined {
  switch (e.type) {
    case 'call':
      if (e.kind === 'read' && e.status === 'ok') return undefined;
      return {
        topic: 'call',
        tone: e.status === 'ok' ? 'good' : e.status === 'failed' ? 'bad' : 'warn',
        text: `${e.name} → ${e.status}${e.failure ? ` (${e.failure.category})` : ''} in ${Math.round(e.durationMs)} ms`,
      };
    case 'policy':
      return policy(e.dependency, e.event);
    case 'outbox':
      return outbox(e.event);
    case 'connectivity': {
      const { status, quality } = e.snapshot;
      return {
        topic: 'connectivity',
        tone:
          status === 'online'
            ? quality === 'slow'
              ? 'warn'
              : 'good'
            : status === 'unknown'
              ? 'info'
              : 'bad',
        text: `connection ${status}${quality === 'slow' ? ', slow' : ''}`,
      };
    }
    case 'degradation':
      return {
        topic: 'degradation',
        tone: e.state.level === 'none' ? 'good' : 'warn',
        text: `degradation → ${e.state.level}${e.state.reasons[0] ? `: ${e.state.reasons[0]}` : ''}`,
      };
    case 'prediction':
      return {
        topic: 'prediction',
        tone: 'warn',
        text: `predicted: ${e.prediction.key} likely to fail soon (${Math.round(e.prediction.confidence * 100)} %)`,
      };
    case 'recovery':
      return {
        topic: 'recovery',
        tone: e.event.ok ? 'good' : 'warn',
        text: `recovery ${e.event.action}: ${e.event.outcome}`,
      };
    case 'review-requested':
      return { topic: 'review', tone: 'info', text: 'review of refused changes requested' };
  }
}
