import { act } from '@testing-library/react';
import { StrictMode } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { BulletproofProvider } from './context/BulletproofProvider.js';
import { Everything } from './test-utils/everything.js';
import { entry, fakeProtection } from './test-utils/fake-protection.js';
import type { FakeProtection } from './test-utils/fake-protection.js';

const tree = (protection: FakeProtection) => (
  <StrictMode>
    <BulletproofProvider protection={protection}>
      <Everything />
    </BulletproofProvider>
  </StrictMode>
);

describe('hydration', () => {
  it('hydrates server HTML without a mismatch although the browser knows more, then shows what it knows', async () => {
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    // The server's Protection knows nothing of the browser.
    const server = fakeProtection({
      connectivity: { status: 'unknown', quality: 'unknown' },
      degradation: { features: { search: 'moderate' } },
    });
    const html = renderToString(tree(server));

    // The browser's is offline, degraded, with a message and a queued write.
    const client = fakeProtection({
      connectivity: { status: 'offline' },
      outbox: [entry('a')],
      degradation: { features: { search: 'moderate' } },
    });
    client.degradation.propose('severe', ['The device is offline']);
    client.messages.post({ key: 'c', tone: 'warning', placement: 'banner', text: "You're offline." });

    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const recoverable = vi.fn();
    let root!: ReturnType<typeof hydrateRoot>;
    await act(async () => {
      root = hydrateRoot(container, tree(client), { onRecoverableError: recoverable });
      await Promise.resolve();
    });
    expect(recoverable).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();

    expect(container.querySelector('[data-bp-connectivity]')?.textContent).toBe('Offline');
    // The message center's banner tells the situation; the degradation banner does not repeat it.
    expect(container.querySelectorAll('[data-bp-placement="banner"]')).toHaveLength(1);
    expect(container.querySelector('[data-bp-degradation]')?.textContent).toBe('');
    expect(container.textContent).toContain('search off');
    expect(container.querySelector('[data-bp-banners]')?.textContent).toContain("You're offline.");
    expect(container.querySelector('[data-bp-live="polite"]')?.textContent).toBe("You're offline.");
    expect(container.querySelector('[data-bp-entry="pending"]')).not.toBeNull();
    act(() => {
      root.unmount();
    });
    container.remove();
    errors.mockRestore();
  });
});
