import type { Plugin } from 'vite';

/** `import { DEV } from './dev.js'` in any module of a package, however deep. */
const DEV_IMPORT = /^import \{ DEV \} from '(?:\.\.?\/)+dev\.js';$/m;

/**
 * The production build of the core and of the React package (see their src/dev.ts): every
 * module's `DEV` becomes a local `false`, so the bundler drops the `if (DEV)` blocks (option
 * checks, developer-only wording) and whatever only they used (schemas, messages). Each
 * package's own build uses it for dist/; an app built from the sources (the demo) uses it for
 * its production build.
 */
export function productionBuild(): Plugin {
  return {
    name: 'bulletproof-production',
    enforce: 'pre',
    transform(code) {
      return DEV_IMPORT.test(code) ? code.replace(DEV_IMPORT, 'const DEV = false;') : null;
    },
  };
}
