// Options given per call — a message posted, a protected call — are checked as strictly as a
// factory's: a misspelt key is refused by name, not ignored (an ignored `ofline` loses the write
// when the network is down; an ignored action `onClick` makes a button that does nothing).
import { describe, expect, it } from 'vitest';
import { createMessageCenter } from './messages/message-center.js';
import { createProtection } from './protection/create-protection.js';
import type { ProtectOptions } from './protection/types.js';
import { manualClock } from './test-support/manual-clock.js';

describe('post()', () => {
  const center = () => createMessageCenter({ clock: manualClock() });

  it('refuses an unknown message field by name', () => {
    const input = { key: 'k', tone: 'info', text: 'Saved', ttl: 5_000 } as never;
    expect(() => center().post(input)).toThrow('post(): unknown message field "ttl"');
  });

  it('refuses an unknown action field by its path', () => {
    const input = {
      key: 'k',
      tone: 'info',
      text: 'Saved',
      actions: [{ id: 'undo', label: 'Undo', onClick: () => undefined }],
    } as never;
    expect(() => center().post(input)).toThrow('post(): unknown message field "actions[0].onClick"');
  });
});

describe('protect()', () => {
  const protection = () =>
    createProtection({ connectivity: false, outbox: false, predictor: false, clock: manualClock() });

  it('refuses an unknown option by name', async () => {
    const p = protection();
    const options = { ofline: { type: 'http', payload: { url: '/x' } } } as ProtectOptions<string>;
    await expect(p.protect('save', () => Promise.resolve('ok'), options)).rejects.toThrow(
      'protect("save"): unknown option "ofline"',
    );
    await p.dispose();
  });

  it('refuses an unknown field of offline by its path, and a kind that is neither read nor write', async () => {
    const p = protection();
    const typo = {
      offline: { type: 'http', payload: { url: '/x' }, chanel: 'notes' },
    } as ProtectOptions<string>;
    await expect(p.protect('save', () => Promise.resolve('ok'), typo)).rejects.toThrow(
      'unknown option "offline.chanel"',
    );
    const kind = { kind: 'wirte' } as unknown as ProtectOptions<string>;
    await expect(p.protect('save', () => Promise.resolve('ok'), kind)).rejects.toThrow('option "kind"');
    await p.dispose();
  });
});
