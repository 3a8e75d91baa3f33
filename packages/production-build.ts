import type { Plugin } from 'vite';

/** `import { DEV } from './dev.js'` in any module of the core, however deep. */
const DEV_IMPORT = /^import \{ DEV \} from '(?:\.\.?\/)+dev\.js';$/m;

/**
 * The core's production build (see packages/core/src/dev.ts): every module's `DEV` becomes
 * a local `false`, so the bundler drops the `if (DEV)` blocks (option checks) and whatever
 * only they used (schemas, messages). The core's own build uses it for dist/; an app built
 * from the sources (the demo) uses it for its production build.
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
