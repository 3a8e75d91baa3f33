import { fileURLToPath } from 'node:url';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/**
 * Resolves the packages to their TypeScript sources, so tests and the demo run
 * without a build; the published entry points are checked separately (publint, attw).
 */
export const sourceAliases = [
  { find: /^@bulletproof\/core\/sw$/, replacement: here('./core/src/sw/index.ts') },
  { find: /^@bulletproof\/core$/, replacement: here('./core/src/index.ts') },
  { find: /^@bulletproof\/react$/, replacement: here('./react/src/index.ts') },
];
