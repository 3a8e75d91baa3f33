import { createHash } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { build, type Alias, type Plugin, type ResolvedConfig } from 'vite';

export interface ServiceWorkerPluginOptions {
  /** The worker's TypeScript entry. */
  entry: string;
  /** Served and written at the site root, so the worker's scope is the whole app. Default `sw.js`. */
  fileName?: string;
  /** Aliases the worker's imports need (the packages' sources). */
  alias?: Alias[];
  /** Plugins for the worker's own build (the packages' production build, in a production build). */
  plugins?: Plugin[];
}

/**
 * Builds the service worker from TypeScript into one classic script at `/sw.js`.
 *
 * A service worker cannot share the app's ES chunks (module workers are not supported
 * everywhere, and a hashed chunk name would change under an installed worker), so it is
 * bundled on its own, with everything it imports inlined. In a production build it is
 * built after the app, with the list of files the app shell needs (`__PRECACHE_MANIFEST__`)
 * and a version derived from them (`__SHELL_VERSION__`): a new build is a new worker and a
 * new cache. Under the dev server it is built on request with an empty list, and the
 * worker falls back to caching what it sees.
 */
export function serviceWorker(options: ServiceWorkerPluginOptions): Plugin {
  const fileName = options.fileName ?? 'sw.js';
  let config: ResolvedConfig | undefined;

  async function bundle(precache: string[], version: string): Promise<string> {
    const output = await build({
      configFile: false,
      logLevel: 'warn',
      publicDir: false,
      resolve: { alias: options.alias ?? [] },
      plugins: config?.command === 'build' ? (options.plugins ?? []) : [],
      define: {
        __PRECACHE_MANIFEST__: JSON.stringify(precache),
        __SHELL_VERSION__: JSON.stringify(version),
      },
      build: {
        write: false,
        minify: config?.command === 'build',
        sourcemap: false,
        emptyOutDir: false,
        lib: {
          entry: options.entry,
          formats: ['iife'],
          name: 'fieldNotesServiceWorker',
          fileName: () => fileName,
        },
      },
    });
    const results = Array.isArray(output) ? output : [output];
    for (const result of results) {
      if (!('output' in result)) continue;
      const chunk = result.output.find((item) => item.type === 'chunk');
      if (chunk) return chunk.code;
    }
    throw new Error(`service worker build of ${options.entry} produced no script`);
  }

  return {
    name: 'field-notes-service-worker',
    configResolved(resolved) {
      config = resolved;
    },
    configureServer(server) {
      // Before Vite's own middlewares: `/sw.js` is not a file in the project.
      server.middlewares.use((req, res, next) => {
        if ((req.url ?? '').split('?', 1)[0] !== `/${fileName}`) {
          next();
          return;
        }
        bundle([], `dev-${Date.now()}`).then(
          (code) => {
            res.setHeader('content-type', 'text/javascript; charset=utf-8');
            res.setHeader('cache-control', 'no-cache');
            res.end(code);
          },
          (error: unknown) => next(error),
        );
      });
    },
    async writeBundle(outputOptions, outputBundle) {
      if (config?.command !== 'build') return;
      const files = Object.keys(outputBundle)
        .filter((name) => !name.endsWith('.map') && name !== fileName)
        .sort();
      // The shell is the page itself and every file the build emitted for it.
      const precache = ['/', ...files.map((name) => `/${name}`)];
      const version = createHash('sha256')
        .update(files.join('\n'))
        .update(indexHtmlOf(outputBundle))
        .digest('hex');
      const code = await bundle(precache, version.slice(0, 12));
      const outDir = outputOptions.dir ?? resolve(config.root, config.build.outDir);
      await writeFile(join(outDir, fileName), code);
    },
  };
}

/** The HTML's text, so a change to it (and only to it) still makes a new shell version. */
function indexHtmlOf(outputBundle: Record<string, { type: string; source?: unknown }>): string {
  const html = outputBundle['index.html'];
  if (html?.type !== 'asset') return '';
  const source = html.source;
  return typeof source === 'string'
    ? source
    : source instanceof Uint8Array
      ? Buffer.from(source).toString()
      : '';
}
