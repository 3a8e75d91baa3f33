// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import type { Clock } from '../clock.js';
import { watchFrustration, type FrustrationWatchSignal } from './watch-frustration.js';

function settableClock(): Clock & { advance(ms: number): void } {
  let now = 0;
  return {
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    setTimeout: () => 0,
    clearTimeout: () => {},
  };
}

function click(target: Element, x = 10, y = 10): void {
  target.dispatchEvent(new MouseEvent('click', { bubbles: true, clientX: x, clientY: y }));
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  document.body.innerHTML = '';
});

function setup(options: Parameters<typeof watchFrustration>[2] = {}) {
  const clock = settableClock();
  const signals: FrustrationWatchSignal[] = [];
  stop = watchFrustration(document, (s) => signals.push(s), { clock, ...options });
  document.body.innerHTML = `
    <button id="save">Save</button><button id="other">Other</button>
    <form id="f"><input name="title" value="Hello"><button type="submit">Send</button></form>`;
  const byId = (id: string) => document.getElementById(id) as HTMLElement;
  return { clock, signals, byId };
}

describe('watchFrustration: rage clicks', () => {
  it('three clicks within 1 s and 30 px are one rage click on the clicked element', () => {
    const { clock, signals, byId } = setup();
    click(byId('save'), 100, 100);
    clock.advance(300);
    click(byId('save'), 110, 105);
    clock.advance(300);
    expect(signals).toHaveLength(0);
    click(byId('save'), 95, 120);
    expect(signals).toEqual([{ kind: 'rage-click', target: byId('save'), at: 600 }]);
  });

  it('a longer burst is still one signal; a new burst later is another', () => {
    const { clock, signals, byId } = setup();
    for (let i = 0; i < 8; i++) {
      click(byId('save'));
      clock.advance(100);
    }
    expect(signals).toHaveLength(1);
    clock.advance(2_000);
    for (let i = 0; i < 3; i++) {
      click(byId('save'));
      clock.advance(100);
    }
    expect(signals).toHaveLength(2);
  });

  it('clicks spread over more than 1 s are not rage', () => {
    const { clock, signals, byId } = setup();
    for (let i = 0; i < 6; i++) {
      click(byId('save'));
      clock.advance(600);
    }
    expect(signals).toHaveLength(0);
  });

  it('clicks further than 30 px apart are not rage (a user working through a list)', () => {
    const { clock, signals, byId } = setup();
    click(byId('save'), 0, 0);
    clock.advance(100);
    click(byId('save'), 40, 0);
    clock.advance(100);
    click(byId('save'), 80, 0);
    expect(signals).toHaveLength(0);
  });

  it('honours its options', () => {
    const { clock, signals, byId } = setup({ rageClick: { clicks: 5, withinMs: 2_000, radiusPx: 5 } });
    for (let i = 0; i < 4; i++) {
      click(byId('save'));
      clock.advance(400);
    }
    expect(signals).toHaveLength(0);
    click(byId('save'));
    expect(signals).toHaveLength(1);
  });

  it('stops watching when the returned function is called', () => {
    const { signals, byId } = setup();
    stop?.();
    for (let i = 0; i < 5; i++) click(byId('save'));
    expect(signals).toHaveLength(0);
  });

  it('watches only inside the root it was given', () => {
    const clock = settableClock();
    document.body.innerHTML =
      '<section id="inside"><button id="in">In</button></section><button id="out">Out</button>';
    const signals: FrustrationWatchSignal[] = [];
    stop = watchFrustration(document.getElementById('inside') as HTMLElement, (s) => signals.push(s), {
      clock,
    });
    for (let i = 0; i < 3; i++) click(document.getElementById('out') as HTMLElement);
    expect(signals).toHaveLength(0);
    for (let i = 0; i < 3; i++) click(document.getElementById('in') as HTMLElement);
    expect(signals).toHaveLength(1);
  });
});

describe('watchFrustration: repeat submits', () => {
  function submit(form: HTMLElement): void {
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  }

  it('the same form submitted again while marked busy is a repeat submit', () => {
    const { signals, byId } = setup();
    const form = byId('f');
    form.setAttribute('aria-busy', 'true');
    submit(form);
    expect(signals).toHaveLength(0);
    submit(form);
    expect(signals).toEqual([{ kind: 'repeat-submit', target: form, at: 0 }]);
  });

  it('a form that says it is no longer busy may be submitted again freely', () => {
    const { clock, signals, byId } = setup();
    const form = byId('f');
    form.setAttribute('aria-busy', 'true');
    submit(form);
    form.setAttribute('aria-busy', 'false');
    clock.advance(100);
    submit(form);
    expect(signals).toHaveLength(0);
  });

  it('without a busy marker: the same content again within 10 s counts, new content does not', () => {
    const { clock, signals, byId } = setup();
    const form = byId('f');
    submit(form);
    clock.advance(2_000);
    submit(form);
    expect(signals).toHaveLength(1);
    (form.querySelector('input') as HTMLInputElement).value = 'Something else';
    clock.advance(1_000);
    submit(form);
    expect(signals).toHaveLength(1);
    clock.advance(11_000);
    submit(form);
    expect(signals).toHaveLength(1);
  });

  it('uses isPending when given', () => {
    let pending = false;
    const { signals, byId } = setup({ repeatSubmit: { isPending: () => pending } });
    const form = byId('f');
    submit(form);
    submit(form);
    expect(signals).toHaveLength(0);
    pending = true;
    submit(form);
    expect(signals).toHaveLength(1);
  });
});

describe('watchFrustration: validation', () => {
  it('rejects a bad root, callback or option with a TypeError', () => {
    expect(() => watchFrustration(null as never, () => {})).toThrow(/root/);
    expect(() => watchFrustration(document, 'x' as never)).toThrow(/onSignal/);
    expect(() => watchFrustration(document, () => {}, { rageClick: { clicks: 1 } })).toThrow(
      /rageClick\.clicks/,
    );
    expect(() => watchFrustration(document, () => {}, { rageClick: { radiusPx: -1 } })).toThrow(/radiusPx/);
  });
});
