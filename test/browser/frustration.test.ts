import { afterEach, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { watchFrustration, type FrustrationWatchSignal } from '../../packages/core/src/predict/index.js';

// watchFrustration with clicks dispatched by the browser itself (through the automation
// protocol, as a user's mouse would), not synthetic events.

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  document.body.innerHTML = '';
});

it('three real clicks on the same button within a second are a rage click', async () => {
  document.body.innerHTML =
    '<button id="save">Save</button><button id="other" style="margin-left:200px">Other</button>';
  const signals: FrustrationWatchSignal[] = [];
  stop = watchFrustration(document, (s) => signals.push(s));
  const save = document.getElementById('save') as HTMLButtonElement;
  await userEvent.click(save);
  await userEvent.click(save);
  expect(signals).toEqual([]);
  await userEvent.click(save);
  expect(signals.map((s) => [s.kind, s.target.id])).toEqual([['rage-click', 'save']]);
});

it('clicks on buttons far apart are not rage', async () => {
  document.body.innerHTML =
    '<button id="a">A</button><button id="b" style="margin-left:200px">B</button><button id="c" style="margin-left:200px">C</button>';
  const signals: FrustrationWatchSignal[] = [];
  stop = watchFrustration(document, (s) => signals.push(s));
  for (const id of ['a', 'b', 'c']) await userEvent.click(document.getElementById(id) as HTMLElement);
  expect(signals).toEqual([]);
});

it('pressing Send again while the form is busy is a repeat submit', async () => {
  document.body.innerHTML = `<form id="note" aria-busy="true"><input name="t" value="x"><button id="send">Send</button></form>`;
  const form = document.getElementById('note') as HTMLFormElement;
  form.addEventListener('submit', (e) => e.preventDefault());
  const signals: FrustrationWatchSignal[] = [];
  stop = watchFrustration(document, (s) => signals.push(s));
  const send = document.getElementById('send') as HTMLButtonElement;
  await userEvent.click(send);
  await userEvent.click(send);
  expect(signals.filter((s) => s.kind === 'repeat-submit').map((s) => s.target)).toEqual([form]);
});
