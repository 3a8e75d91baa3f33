import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Bundles in-page bench code (which imports the sources by path from the repository root)
 * into one minified script for Chromium.
 */
export async function bundleForBrowser(source: string): Promise<string> {
  const bundled = await build({
    stdin: { contents: source, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'silent',
  });
  return (bundled.outputFiles[0] as { text: string }).text;
}
