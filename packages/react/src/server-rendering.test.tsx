// @vitest-environment node
import type { DraftStore } from '@bulletproof/core';
import { StrictMode } from 'react';
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { BulletproofProvider } from './context/BulletproofProvider.js';
import { Everything } from './test-utils/everything.js';
import { entry, fakeProtection } from './test-utils/fake-protection.js';

/** A draft store that fails the test if anything touches it: the server must not. */
const untouchable = new Proxy({} as DraftStore, {
  get(_, property) {
    throw new Error(`the draft store was used during server rendering (${String(property)})`);
  },
});

describe('server rendering', () => {
  it('renders every hook and component without a window', () => {
    expect(typeof window).toBe('undefined');
    expect(typeof document).toBe('undefined');
    const protection = fakeProtection({
      connectivity: { status: 'offline' },
      outbox: [entry('a'), entry('b', { state: 'dead', deadReason: 'rejected' })],
      degradation: { features: { search: 'moderate' } },
    });
    protection.degradation.propose('severe', ['Backend unreachable']);
    protection.messages.post({
      key: 'offline',
      tone: 'warning',
      placement: 'banner',
      text: 'You are offline.',
    });
    protection.messages.post({ key: 'x', tone: 'error', politeness: 'assertive', text: 'Not saved.' });

    const html = renderToString(
      <StrictMode>
        <BulletproofProvider protection={protection} drafts={untouchable}>
          <Everything />
        </BulletproofProvider>
      </StrictMode>,
    );

    // The server cannot know the browser's network, storage or messages: it renders the
    // neutral state, which the client's first (hydrating) render reproduces exactly.
    expect(html).toContain('<div role="status" data-bp-connectivity="unknown">');
    expect(html).toContain('Checking connection…');
    expect(html).toContain('<div role="status" data-bp-degradation="none"></div>');
    expect(html).toContain('search on');
    expect(html).not.toContain('You are offline.');
    // Both live regions are there, empty.
    expect(html).toMatch(/<div role="status"[^>]*data-bp-live="polite"[^>]*><\/div>/);
    expect(html).toMatch(/<div role="alert"[^>]*data-bp-live="assertive"[^>]*><\/div>/);
    expect(html).toContain('<dd>idle</dd>');
    expect(html).toContain('<dd>unknown</dd>');
    expect(html).toContain('<dd>initial draft</dd>');
    expect(html).toContain('Nothing waiting to sync.');
    // The status has no neutral form; it is the Protection's own.
    expect(html).toContain('<dd>100</dd>');
  });
});
