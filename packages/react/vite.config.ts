import { copyFileSync } from 'node:fs';
import { defineConfig } from 'vite';
import { productionBuild } from '../production-build.js';

// Library build: ESM only, one output file per source module; React and the core
// stay external. The optional stylesheet is copied as is. `vite build` makes the production
// build in dist/ (`DEV` false, see src/dev.ts), `vite build --mode development` the
// development one in dist/dev/. Declarations come from tsc.
export default defineConfig(({ mode }) => {
  const development = mode === 'development';
  return {
    build: {
      target: 'es2022',
      minify: false,
      sourcemap: true,
      outDir: development ? 'dist/dev' : 'dist',
      emptyOutDir: true,
      lib: { entry: { index: 'src/index.ts' }, formats: ['es'] },
      rolldownOptions: {
        external: [/^react($|\/)/, /^react-dom($|\/)/, /^@bulletproof\/core/],
        output: { preserveModules: true, preserveModulesRoot: 'src', entryFileNames: '[name].js' },
      },
    },
    plugins: [
      ...(development ? [] : [productionBuild()]),
      {
        name: 'bulletproof-copy-styles',
        closeBundle() {
          if (!development) copyFileSync('src/styles.css', 'dist/styles.css');
        },
      },
    ],
  };
});
