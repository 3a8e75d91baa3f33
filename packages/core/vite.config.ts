import { defineConfig } from 'vite';

// Library build: ESM only, one output file per source module so that bundlers
// (and size-limit) keep only what a user imports. Declarations come from tsc.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    emptyOutDir: true,
    lib: {
      entry: { index: 'src/index.ts', 'sw/index': 'src/sw/index.ts' },
      formats: ['es'],
    },
    rolldownOptions: {
      external: [/^idb/, /^rxjs/, /^zod/, /^workbox-window/],
      // Constants stay imported by name: inlining them into the importer left the import
      // behind as a bare `import './x.js'`, which bundlers warn about under sideEffects: false.
      optimization: { inlineConst: false },
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
});
