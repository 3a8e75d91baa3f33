import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embedExamples, QUOTING_PAGES, readFromRoot } from '../../docs/embed-examples.js';

// The documentation's promises: every quoted example is its type-checked file word for word,
// every example file is quoted somewhere, and every relative link (and #anchor) resolves.

const pages = QUOTING_PAGES.map((path) => ({ path, text: readFromRoot(path) }));

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

const anchorsOf = (text: string) =>
  new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug((m[1] ?? '').replace(/`/g, ''))));

describe('docs', () => {
  it.each(pages)('$path quotes its examples word for word', ({ text }) => {
    expect(embedExamples(text, readFromRoot)).toBe(text);
  });

  it('quotes every example file', () => {
    const quoted = new Set(
      pages.flatMap(({ text }) => [...text.matchAll(/^<!-- example: (\S+) -->/gm)].map((m) => m[1])),
    );
    const examples = readdirSync('docs/examples')
      .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts') && name !== 'app-helpers.ts')
      .map((name) => `docs/examples/${name}`);
    expect(examples.filter((path) => !quoted.has(path))).toEqual([]);
  });

  it.each(pages)('$path links only to files and headings that exist', ({ path, text }) => {
    const broken: string[] = [];
    for (const [, target = ''] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/.test(target)) continue;
      const [file = '', anchor] = target.split('#');
      const resolved = file === '' ? path : normalize(join(dirname(path), file));
      if (!existsSync(resolved)) {
        broken.push(target);
        continue;
      }
      if (anchor && resolved.endsWith('.md') && !anchorsOf(readFileSync(resolved, 'utf8')).has(anchor)) {
        broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });
});
