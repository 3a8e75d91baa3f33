import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The guides quote their examples from docs/examples/, where `npm run typecheck` checks them.
// A quote is a fenced block right after a marker naming its file:
//
//   <!-- example: docs/examples/quick-start.ts -->
//
//   ```ts
//   …the file, word for word…
//   ```
//
// `npx tsx docs/embed-examples.ts` rewrites every quote from its file; test/unit/docs.test.ts
// fails when a quote and its file differ.

/** The Markdown files that quote examples, from the repository root. */
export const QUOTING_PAGES = [
  'README.md',
  'demo/README.md',
  'packages/core/README.md',
  'packages/react/README.md',
  'docs/README.md',
  'docs/concepts.md',
  'docs/getting-started.md',
  'docs/getting-started-react.md',
  'docs/policies.md',
  'docs/presets.md',
  'docs/offline-writes.md',
  'docs/fallback-tiers.md',
  'docs/service-worker.md',
  'docs/connectivity.md',
  'docs/prediction.md',
  'docs/degradation.md',
  'docs/messages.md',
  'docs/testing.md',
  'docs/migrating.md',
  'docs/benchmarks.md',
  'docs/development.md',
];

const MARKER = /^<!-- example: (\S+) -->/gm;
const QUOTE = /^<!-- example: (\S+) -->\n\n?```(\w+)\n[\s\S]*?\n```/gm;

/** `markdown` with every quote replaced by its file's current text (`read` gets it by path). */
export function embedExamples(markdown: string, read: (path: string) => string): string {
  const quotes = markdown.match(QUOTE)?.length ?? 0;
  const markers = markdown.match(MARKER)?.length ?? 0;
  if (quotes !== markers)
    throw new Error(`${markers - quotes} example marker(s) with no fenced block after them`);
  return markdown.replace(
    QUOTE,
    (_quote, path: string, lang: string) =>
      `<!-- example: ${path} -->\n\n\`\`\`${lang}\n${read(path).trimEnd()}\n\`\`\``,
  );
}

/** Reads a file by its path from the repository root. */
export const readFromRoot = (path: string): string =>
  readFileSync(fileURLToPath(new URL(`../${path}`, import.meta.url)), 'utf8');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const page of QUOTING_PAGES) {
    const text = readFromRoot(page);
    const embedded = embedExamples(text, readFromRoot);
    if (embedded !== text) {
      writeFileSync(fileURLToPath(new URL(`../${page}`, import.meta.url)), embedded);
      console.log(`updated ${page}`);
    }
  }
}
