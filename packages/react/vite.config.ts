import { copyFileSync } from 'node:fs';
import { defineConfig } from 'vite';

// Library build: ESM only, one output file per source module; React and the core
// stay external. The optional stylesheet is copied as is.
export default defineConfig({
  build: {
    target: 'es2022',
    minify: false,
    sourcemap: true,
    emptyOutDir: true,
    lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
    rolldownOptions: {
      external: [/^react($|\/)/, /^react-dom($|\/)/, /^@bulletproof\/core/],
      output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
    },
  },
  plugins: [
    {
      name: 'bulletproof-copy-styles',
      closeBundle() {
        copyFileSync('src/styles.css', 'dist/styles.css');
      },
    },
  ],
});
