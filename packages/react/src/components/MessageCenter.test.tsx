import { act, fireEvent, screen, within } from '@testing-library/react';
import type { MessageInput } from '@bulletproof/core';
import { useLayoutEffect } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { fakeProtection } from '../test-utils/fake-protection.js';
import type { FakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { MessageCenter } from './MessageCenter.js';

const polite = () => document.querySelector('[data-bp-live="polite"]')!;
const assertive = () => document.querySelector('[data-bp-live="assertive"]')!;

function post(protection: FakeProtection, ...messages: MessageInput[]) {
  act(() => {
    for (const m of messages) protection.messages.post(m);
  });
}

const offline: MessageInput = {
  key: 'offline',
  tone: 'warning',
  placement: 'banner',
  text: 'You are offline.',
};
const queued: MessageInput = { key: 'queued', tone: 'info', text: '3 changes waiting to sync' };
const rejected: MessageInput = {
  key: 'rejected',
  tone: 'error',
  politeness: 'assertive',
  title: 'Not saved',
  text: '1 change was refused.',
  actions: [
    { id: 'retry', label: 'Retry' },
    { id: 'discard', label: 'Discard' },
  ],
};

describe('MessageCenter', () => {
  it('mounts both live regions empty, then fills them, so messages present at load are announced', () => {
    const protection = fakeProtection();
    protection.messages.post(offline);
    protection.messages.post(rejected);
    const atMount: string[] = [];
    function Spy() {
      // Layout effects run before passive ones: this sees the DOM as first inserted.
      useLayoutEffect(() => {
        atMount.push(polite().textContent, assertive().textContent);
      }, []);
      return null;
    }
    renderWith(
      protection,
      <>
        <MessageCenter />
        <Spy />
      </>,
      { strict: false },
    );
    expect(atMount).toEqual(['', '']);
    expect(polite().textContent).toBe('You are offline.');
    expect(assertive().textContent).toBe('Not saved: 1 change was refused.');
    expect(polite().getAttribute('role')).toBe('status');
    expect(assertive().getAttribute('role')).toBe('alert');
  });

  it('puts banners in the flow and toasts in a corner, in the message center’s order', async () => {
    const protection = fakeProtection();
    const { container } = renderWith(protection, <MessageCenter className="mc" position="top-left" />);
    expect(await axeViolations(container)).toEqual([]);
    // No empty landmarks: the areas appear with their first message.
    expect(screen.queryByRole('region')).toBeNull();
    post(protection, offline, queued);
    expect(screen.getByRole('region', { name: 'Notices' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Notifications' })).toBeTruthy();
    const root = container.querySelector('[data-bp-messages]')!;
    expect(root.className).toBe('mc');
    const banners = root.querySelector('[data-bp-banners]')!;
    const toasts = root.querySelector('[data-bp-toasts]')!;
    expect(toasts.getAttribute('data-bp-toasts')).toBe('top-left');
    expect(within(banners as HTMLElement).getByText('You are offline.')).toBeTruthy();
    expect(within(toasts as HTMLElement).getByText('3 changes waiting to sync')).toBeTruthy();
    // Banners come before toasts in the document, so they read first.
    expect(banners.compareDocumentPosition(toasts) & Node.DOCUMENT_POSITION_FOLLOWING).toBeTruthy();
    expect(banners.firstElementChild?.getAttribute('data-bp-message')).toBe('warning');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('announces updates in place and clears an announcement when its message goes', () => {
    const protection = fakeProtection();
    renderWith(protection, <MessageCenter />);
    post(protection, queued);
    const line = polite().firstElementChild;
    post(protection, { ...queued, text: '4 changes waiting to sync' });
    expect(polite().firstElementChild).toBe(line);
    expect(polite().textContent).toBe('4 changes waiting to sync');
    act(() => {
      protection.messages.dismiss('queued');
    });
    expect(polite().textContent).toBe('');
  });

  it('offers actions as buttons that run through the center, and a dismiss button', async () => {
    const protection = fakeProtection();
    const run = vi.fn();
    const { container } = renderWith(protection, <MessageCenter />);
    post(protection, { ...rejected, actions: [{ id: 'retry', label: 'Retry', run }] }, offline);
    expect(await axeViolations(container)).toEqual([]);
    const retry = screen.getByRole('button', { name: 'Retry' });
    expect(retry.getAttribute('type')).toBe('button');
    await act(async () => {
      fireEvent.click(retry);
      await Promise.resolve();
    });
    expect(run).toHaveBeenCalledTimes(1);
    expect(screen.queryByText('1 change was refused.')).toBeNull();
    const dismiss = screen.getAllByRole('button', { name: 'Dismiss' });
    expect(dismiss).toHaveLength(1);
    fireEvent.click(dismiss[0]!);
    expect(screen.queryByText('You are offline.')).toBeNull();
  });

  it('never moves focus when messages come and go', () => {
    const protection = fakeProtection();
    renderWith(
      protection,
      <>
        <input aria-label="Title" />
        <MessageCenter />
      </>,
    );
    const input = screen.getByLabelText('Title');
    input.focus();
    post(protection, offline, rejected, queued);
    expect(document.activeElement).toBe(input);
    act(() => {
      protection.messages.clear();
    });
    expect(document.activeElement).toBe(input);
  });

  it('renders message text as text, never as HTML', () => {
    const protection = fakeProtection();
    const { container } = renderWith(protection, <MessageCenter />);
    post(protection, { key: 'x', tone: 'info', title: '<i>t</i>', text: '<img src=x onerror=alert(1)>' });
    expect(container.querySelector('img, i')).toBeNull();
    // Once on screen, once in the polite live region.
    expect(screen.getAllByText('<img src=x onerror=alert(1)>', { exact: false })).toHaveLength(2);
  });

  it('routes assertive messages to the alert region and polite ones to the status region', async () => {
    const protection = fakeProtection({ messages: { maxToasts: 3 } });
    const { container } = renderWith(protection, <MessageCenter />);
    post(protection, rejected, queued, {
      key: 'w',
      tone: 'warning',
      politeness: 'assertive',
      text: 'Only errors may interrupt.',
    });
    expect(assertive().textContent).toBe('Not saved: 1 change was refused.');
    expect(polite().textContent).toContain('3 changes waiting to sync');
    expect(polite().textContent).toContain('Only errors may interrupt.');
    expect(await axeViolations(container)).toEqual([]);
  });

  it('takes a render prop for each message and a dismiss label', () => {
    const protection = fakeProtection();
    renderWith(
      protection,
      <>
        <MessageCenter
          renderMessage={(m, c) => (
            <button type="button" onClick={c.dismiss}>
              {m.text} ×{m.count}
            </button>
          )}
        />
      </>,
    );
    post(protection, queued, queued);
    fireEvent.click(screen.getByRole('button', { name: '3 changes waiting to sync ×2' }));
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('names its dismiss buttons and its areas as told', () => {
    const protection = fakeProtection();
    renderWith(
      protection,
      <MessageCenter labels={{ dismiss: 'Fermer', banners: 'Avis', toasts: 'Notifications récentes' }} />,
    );
    post(protection, offline, queued);
    expect(screen.getAllByRole('button', { name: 'Fermer' })).toHaveLength(2);
    expect(screen.getByRole('region', { name: 'Avis' })).toBeTruthy();
    expect(screen.getByRole('region', { name: 'Notifications récentes' })).toBeTruthy();
  });
});
