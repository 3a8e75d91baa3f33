import { defineConfig } from 'vite';
import { productionBuild } from '../production-build.js';

// Library build: ESM only, one output file per source module so that bundlers
// (and size-limit) keep only what a user imports. `vite build` makes the production
// build in dist/, `vite build --mode development` the development one in dist/dev/
// (see src/dev.ts). Declarations come from tsc.
export default defineConfig(({ mode }) => {
  const development = mode === 'development';
  return {
    plugins: development ? [] : [productionBuild()],
    build: {
      target: 'es2022',
      minify: false,
      sourcemap: true,
      outDir: development ? 'dist/dev' : 'dist',
      emptyOutDir: true,
      lib: {
        entry: { index: 'src/index.ts', 'sw/index': 'src/sw/index.ts' },
        formats: ['es'],
      },
      rolldownOptions: {
        external: [/^idb/, /^workbox-window/],
        // Constants stay imported by name: inlining them into the importer left the import
        // behind as a bare `import './x.js'`, which bundlers warn about under sideEffects: false.
        optimization: { inlineConst: false },
        output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
      },
    },
  };
});
