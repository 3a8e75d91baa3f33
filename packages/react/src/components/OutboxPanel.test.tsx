import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { OutboxEntry } from '@bulletproof/core';
import { describe, expect, it } from 'vitest';
import { axeViolations } from '../test-utils/axe.js';
import { entry, fakeProtection } from '../test-utils/fake-protection.js';
import { renderWith } from '../test-utils/render.js';
import { describeEntry, OutboxPanel } from './OutboxPanel.js';

const entries = (): OutboxEntry[] => [
  entry('p1', {
    type: 'note.save',
    lastFailure: { category: 'server', message: 'HTTP 503', status: 503 },
    attempts: 2,
  }),
  entry('p2', { type: 'http', payload: { method: 'PUT', url: '/api/notes/7' }, state: 'in-flight' }),
  entry('d1', {
    type: 'note.save',
    state: 'dead',
    deadReason: 'rejected',
    lastFailure: {
      category: 'client',
      message: 'HTTP 422 from /api/notes/3: Title is required',
      status: 422,
      detail: 'Title is required',
    },
  }),
  entry('d2', { type: 'note.delete', state: 'dead', deadReason: 'max-attempts' }),
];

async function setup(list = entries(), stats = {}) {
  const protection = fakeProtection({ outbox: [] });
  protection.outbox!.set(list, stats);
  // The developer's description names each entry's type: handy for telling rows apart here.
  const view = renderWith(protection, <OutboxPanel className="panel" describe={describeEntry} />);
  if (list.length > 0) await screen.findAllByRole('checkbox');
  return { protection, outbox: protection.outbox!, ...view };
}

const box = (name: RegExp) => screen.getByRole('checkbox', { name });
const selectAll = () => screen.getByRole<HTMLInputElement>('checkbox', { name: 'Select all' });

describe('OutboxPanel', () => {
  it("by default describes an entry in the user's words: no method, URL or type name", async () => {
    const protection = fakeProtection({ outbox: [] });
    protection.outbox!.set(entries());
    renderWith(protection, <OutboxPanel />);
    const boxes = (await screen.findAllByRole('checkbox')).slice(1);
    expect(boxes).toHaveLength(4);
    for (const box of boxes) {
      const name = box.getAttribute('id')
        ? document.querySelector(`label[for="${box.id}"]`)?.textContent
        : '';
      expect(name).toMatch(/^A change made /);
      expect(name).not.toMatch(/PUT|\/api\/|note\.|http/i);
    }
  });

  it('says so when nothing is waiting, with no axe violations', async () => {
    const { container } = await setup([]);
    expect(screen.getByRole('region', { name: 'Changes waiting to sync' })).toBeTruthy();
    expect(screen.getByText('Nothing waiting to sync.')).toBeTruthy();
    expect(screen.queryByRole('button')).toBeNull();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('lists pending and dead entries under their groups, each with its reason', async () => {
    const { container } = await setup();
    const region = screen.getByRole('region', { name: 'Changes waiting to sync' });
    expect(region.className).toBe('panel');
    const waiting = within(region).getByRole('heading', { name: 'Waiting to send' }).parentElement!;
    const dead = within(region).getByRole('heading', { name: 'Could not be saved' }).parentElement!;
    expect(within(waiting).getAllByRole('checkbox')).toHaveLength(2);
    expect(within(dead).getAllByRole('checkbox')).toHaveLength(2);
    // Reasons are tied to their checkbox as its description.
    expect(
      box(/note\.delete/i)
        .closest('li')
        ?.getAttribute('data-bp-entry'),
    ).toBe('dead');
    expect(screen.getByRole('checkbox', { name: /PUT \/api\/notes\/7/ })).toBeTruthy();
    const descriptions = screen
      .getAllByRole('checkbox')
      .slice(1)
      .map((c) => document.getElementById(c.getAttribute('aria-describedby')!)?.textContent);
    expect(descriptions).toEqual([
      // The developer's message (status, URL) is never shown; the server's own reason is.
      'Last try failed',
      'Sending…',
      'Refused by the server: Title is required',
      'Gave up after repeated failures',
    ]);
    expect(await axeViolations(container)).toEqual([]);
  });

  it('selects some, then all, with a mixed select-all box in between', async () => {
    await setup();
    expect(selectAll().checked).toBe(false);
    expect(selectAll().indeterminate).toBe(false);
    fireEvent.click(screen.getAllByRole('checkbox')[1]!);
    expect(selectAll().indeterminate).toBe(true);
    expect(screen.getByRole('button', { name: 'Retry (1)' })).toBeTruthy();
    fireEvent.click(selectAll());
    expect(selectAll().checked).toBe(true);
    expect(selectAll().indeterminate).toBe(false);
    expect(screen.getByRole('button', { name: 'Discard (4)' })).toBeTruthy();
    fireEvent.click(selectAll());
    expect(screen.getAllByRole('checkbox').every((c) => !(c as HTMLInputElement).checked)).toBe(true);
  });

  it('retries the selected entries in bulk and announces the result', async () => {
    const { outbox } = await setup();
    const [, , , d1, d2] = screen.getAllByRole('checkbox');
    fireEvent.click(d1!);
    fireEvent.click(d2!);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Retry (2)' }));
      await Promise.resolve();
    });
    await waitFor(() => expect(outbox.stats.dead).toBe(0));
    expect(within(screen.getByRole('status')).getByText('2 changes will be sent again.')).toBeTruthy();
    await waitFor(() => expect(screen.queryByRole('heading', { name: 'Could not be saved' })).toBeNull());
    expect(screen.getByRole('button', { name: 'Retry' }).getAttribute('aria-disabled')).toBe('true');
  });

  it('asks before discarding, inline, and keeps everything when the user cancels', async () => {
    const { outbox, container } = await setup();
    fireEvent.click(selectAll());
    const discard = screen.getByRole('button', { name: 'Discard (4)' });
    discard.focus();
    fireEvent.click(discard);
    const confirm = screen.getByRole('group', { name: 'Discard 4 changes? They will be lost.' });
    // Focus goes to the safe choice, never to the destructive one.
    expect(document.activeElement).toBe(within(confirm).getByRole('button', { name: 'Keep them' }));
    expect(await axeViolations(container)).toEqual([]);
    expect(outbox.stats).toMatchObject({ pending: 1, inFlight: 1, dead: 2 });

    fireEvent.click(within(confirm).getByRole('button', { name: 'Keep them' }));
    expect(screen.queryByRole('group')).toBeNull();
    expect(document.activeElement).toBe(discard);
    expect(outbox.stats).toMatchObject({ pending: 1, inFlight: 1, dead: 2 });
  });

  it('discards the selected entries once confirmed, and gives focus back', async () => {
    const { outbox } = await setup();
    const [, p1, , d1] = screen.getAllByRole('checkbox');
    fireEvent.click(p1!);
    fireEvent.click(d1!);
    const discard = screen.getByRole('button', { name: 'Discard (2)' });
    fireEvent.click(discard);
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Discard for good' }));
      await Promise.resolve();
    });
    await waitFor(() => expect(outbox.stats).toMatchObject({ pending: 0, inFlight: 1, dead: 1 }));
    expect(screen.getByRole('status').textContent).toBe('2 changes discarded.');
    expect(document.activeElement).toBe(discard);
    await waitFor(() => expect(screen.getAllByRole('checkbox')).toHaveLength(3));
  });

  it('does nothing on a disabled action', async () => {
    const { outbox } = await setup();
    fireEvent.click(screen.getByRole('button', { name: 'Discard' }));
    expect(screen.queryByRole('group')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    expect(outbox.stats.dead).toBe(2);
  });

  it('drops entries that disappear from the selection', async () => {
    const { outbox } = await setup();
    fireEvent.click(selectAll());
    act(() => {
      outbox.set(entries().slice(2));
    });
    await waitFor(() => expect(screen.getByRole('button', { name: 'Discard (2)' })).toBeTruthy());
  });

  it('warns when entries live in memory only, or sending is paused', async () => {
    const { container } = await setup(entries(), { storage: 'memory', paused: true });
    expect(screen.getByText(/closing it would lose them/)).toBeTruthy();
    expect(screen.getByText(/paused until you sign in/)).toBeTruthy();
    expect(await axeViolations(container)).toEqual([]);
  });

  it('scrolls to and focuses its heading when the user asks to review the outbox', async () => {
    const { protection } = await setup();
    const heading = screen.getByRole('heading', { name: 'Changes waiting to sync' });
    expect(document.activeElement).not.toBe(heading);
    act(() => {
      protection.emit({ type: 'review-requested' });
    });
    expect(document.activeElement).toBe(heading);
  });

  it('takes labels, a describe render prop and a heading level', async () => {
    const protection = fakeProtection({ outbox: entries().slice(0, 1) });
    renderWith(
      protection,
      <OutboxPanel
        headingLevel={3}
        labels={{ heading: 'À synchroniser', pending: 'En attente' }}
        describe={(e) => `Note ${e.id}`}
      />,
    );
    expect(await screen.findByRole('checkbox', { name: 'Note p1' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 3, name: 'À synchroniser' })).toBeTruthy();
    expect(screen.getByRole('heading', { level: 4, name: 'En attente' })).toBeTruthy();
  });

  it('hides itself while empty when asked', async () => {
    const protection = fakeProtection({ outbox: [] });
    const { container } = renderWith(protection, <OutboxPanel hideWhenEmpty />);
    expect(container.innerHTML).toBe('');
    act(() => {
      protection.outbox!.set(entries());
    });
    expect(await screen.findByRole('region')).toBeTruthy();
  });
});
