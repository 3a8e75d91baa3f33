// The API reference: `npm run docs` writes it to docs/api/ (git-ignored).
// Warnings fail the build: an export missing from an entry point, a broken {@link}, an
// undocumented export or method. Type errors are left to `npm run typecheck`.
import { undocumented } from './undocumented.mjs';

/** @type {Partial<import('typedoc').TypeDocOptions>} */
export default {
  name: 'Bulletproof API reference',
  entryPoints: [
    '../packages/core/src/index.ts',
    '../packages/core/src/sw/index.ts',
    '../packages/react/src/index.ts',
  ],
  tsconfig: './tsconfig.api.json',
  out: './api',
  readme: 'none',
  plugin: ['./typedoc-plugin.mjs'],
  excludePrivate: true,
  // Source links need a git remote, which a CI checkout may lack.
  disableSources: true,
  // Type errors are `npm run typecheck`'s job.
  skipErrorChecking: true,
  excludeInternal: true,
  treatWarningsAsErrors: true,
  validation: { notExported: true, invalidLink: true, notDocumented: true },
  packagesRequiringDocumentation: ['@bulletproof/core', '@bulletproof/react'],
  excludeExternals: true,
  requiredToBeDocumented: ['Enum', 'Variable', 'Function', 'Class', 'Interface', 'TypeAlias'],
  intentionallyNotDocumented: undocumented,
};
