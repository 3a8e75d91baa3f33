import { describe, expect, it } from 'vitest';
import { createTemplateFormatter } from './format-template.js';
import { createMessageCenter } from './message-center.js';
import { defaultTemplates, templateIds, type TemplateId } from './templates.js';

describe('default English templates', () => {
  const center = createMessageCenter();

  it.each([
    ['offline', "You're offline. Changes are saved on this device and will sync when you're back."],
    [
      'unreachable',
      "We can't reach the server right now. Changes are saved on this device and will sync later.",
    ],
    [
      'serverTrouble',
      "The service is having trouble right now. Changes are saved on this device and we'll keep trying.",
    ],
    ['slow', 'Your connection is slow, so some features are simplified for now.'],
    ['storageFallback', "This browser can't store changes — keep this tab open until they sync."],
  ] as const)('%s reads exactly as specified', (id, text) => {
    expect(center.template(id)).toBe(text);
  });

  it('synced counts changes, with a singular for one', () => {
    expect(center.template('synced', { count: 3 })).toBe('All 3 changes synced.');
    expect(center.template('synced', { count: 1 })).toBe('Your change synced.');
    expect(center.template('synced', { count: 1234 })).toBe('All 1,234 changes synced.');
  });

  it('queued counts changes, with a singular for one', () => {
    expect(center.template('queued', { count: 50 })).toBe('50 changes waiting to sync');
    expect(center.template('queued', { count: 1 })).toBe('1 change waiting to sync');
  });

  it('rejected counts changes, with a singular for one', () => {
    expect(center.template('rejected', { count: 1 })).toBe(
      "One of your changes couldn't be saved because the server didn't accept it.",
    );
    expect(center.template('rejected', { count: 2 })).toBe(
      "2 of your changes couldn't be saved because the server didn't accept them.",
    );
  });

  it('words server trouble as the service having trouble, and keeps connection words for the network', () => {
    expect(center.template('serverTrouble')).toMatch(/service is having trouble/);
    expect(center.template('serverTrouble')).not.toMatch(/connection/i);
    expect(center.template('unreachable')).toMatch(/can't reach/);
    expect(center.template('slow')).toMatch(/connection is slow/);
  });

  it('no default text shows a countdown, a dependency id or a diagnostic', () => {
    for (const id of templateIds) {
      const text = center.template(id, { count: 3, time: '10:42' });
      expect(text).not.toMatch(/\{|\bin \d+ s\b|φ|critical\)|failures within|recovering:/);
    }
  });

  it('has a text for every template id, with no placeholder left once params are given', () => {
    expect(templateIds).toEqual(Object.keys(defaultTemplates));
    expect(templateIds.length).toBeGreaterThan(40);
    for (const id of templateIds) {
      for (const count of [1, 2, 5]) {
        const text = center.template(id, { count, seconds: 10, reason: 'maintenance', time: '10:42' });
        expect(text.length, id).toBeGreaterThan(/^(action|status|region|outbox)/.test(id) ? 3 : 10);
        expect(text, id).not.toMatch(/[{}]/);
      }
    }
  });

  it('is phrased for people: no status codes or engineering jargon', () => {
    const jargon =
      /\b(error|exception|http|5\d\d|4\d\d|circuit|breaker|timeout|indexeddb|queue|fetch|request)\b/i;
    for (const id of templateIds) {
      expect(center.template(id, { count: 2, seconds: 5 }), id).not.toMatch(jargon);
    }
  });

  it('rejects an unknown template id and bad params with a TypeError', () => {
    expect(() => center.template('nope' as TemplateId)).toThrow(/template\(\): unknown template id "nope"/);
    expect(() => center.template('synced', { count: {} as unknown as number })).toThrow(
      /template\("synced"\): params field "count" must be a string or a finite number/,
    );
  });
});

describe('overrides and locale', () => {
  it('replaces only the templates given', () => {
    const center = createMessageCenter({ templates: { offline: 'Offline — no worries.' } });
    expect(center.template('offline')).toBe('Offline — no worries.');
    expect(center.template('synced', { count: 3 })).toBe('All 3 changes synced.');
  });

  it('a plain string override has no plural forms', () => {
    const center = createMessageCenter({ templates: { synced: 'Synced: {count}' } });
    expect(center.template('synced', { count: 1 })).toBe('Synced: 1');
  });

  it('chooses plural forms with the locale’s plural rules', () => {
    const center = createMessageCenter({
      locale: 'pl',
      templates: {
        queued: {
          one: '{count} zmiana czeka',
          few: '{count} zmiany czekają',
          many: '{count} zmian czeka',
          other: '{count} zmiany czeka',
        },
      },
    });
    expect(center.template('queued', { count: 1 })).toBe('1 zmiana czeka');
    expect(center.template('queued', { count: 3 })).toBe('3 zmiany czekają');
    expect(center.template('queued', { count: 5 })).toBe('5 zmian czeka');
    expect(center.template('queued', { count: 22 })).toBe('22 zmiany czekają');
  });

  it('formats numbers for the locale', () => {
    const center = createMessageCenter({
      locale: 'de',
      templates: { synced: { other: '{count} synchronisiert' } },
    });
    expect(center.template('synced', { count: 1234 })).toBe('1.234 synchronisiert');
  });

  it('an exact form such as =0 wins over the plural category', () => {
    const center = createMessageCenter({
      templates: { queued: { '=0': 'Everything is synced', one: 'one waiting', other: '{count} waiting' } },
    });
    expect(center.template('queued', { count: 0 })).toBe('Everything is synced');
    expect(center.template('queued', { count: 1 })).toBe('one waiting');
    expect(center.template('queued', { count: 7 })).toBe('7 waiting');
  });
});

describe('interpolation', () => {
  const format = createTemplateFormatter('en');

  it('fills every occurrence of a placeholder', () => {
    expect(format('{a} and {a} and {b}', { a: 'x', b: 2 })).toBe('x and x and 2');
  });

  it('chooses the plural form from a numeric string count too', () => {
    expect(format({ one: 'one', other: 'many' }, { count: '1' })).toBe('one');
    expect(format({ one: 'one', other: 'many' }, { count: 'lots' })).toBe('many');
  });

  it('uses the other form when no count is given', () => {
    expect(format({ one: 'one', other: 'some' })).toBe('some');
  });

  it('leaves a placeholder without a param as written', () => {
    expect(format('Trying again in {seconds} s')).toBe('Trying again in {seconds} s');
  });

  it('never looks up inherited properties for placeholders', () => {
    expect(format('{constructor} {toString} {__proto__} {hasOwnProperty}', {})).toBe(
      '{constructor} {toString} {__proto__} {hasOwnProperty}',
    );
  });

  it('does not re-expand, evaluate, escape or treat param values as replacement patterns', () => {
    expect(format('Hi {name}', { name: '{count}' })).toBe('Hi {count}');
    expect(format('Hi {name}', { name: "$& $1 $' $`" })).toBe("Hi $& $1 $' $`");
    expect(format('Hi {name}', { name: '${globalThis.x = 1}' })).toBe('Hi ${globalThis.x = 1}');
    expect((globalThis as { x?: unknown }).x).toBeUndefined();
    expect(format('Hi {name}', { name: '<b>&amp;</b>' })).toBe('Hi <b>&amp;</b>');
  });

  it('ignores braces that are not a plain identifier', () => {
    expect(format('{ count } {1x} {a-b} {count}', { count: 2 })).toBe('{ count } {1x} {a-b} 2');
  });
});
