import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/**
 * Serves a built single-page app: files under `root`, and `index.html` for
 * any other extension-less path so client-side routes survive a reload.
 * Vite's hashed `/assets/` are cached for good; everything else, the service
 * worker script included, is revalidated on every load.
 */
export async function serveStatic(root: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res
      .writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain; charset=utf-8' })
      .end('Method not allowed');
    return;
  }
  const urlPath = decodePath((req.url ?? '/').split('?', 1)[0] ?? '/');
  const base = resolve(root);
  const target = urlPath === undefined ? undefined : resolve(base, `.${urlPath}`);
  const inside =
    target !== undefined && !relative(base, target).startsWith('..') && !isAbsolute(relative(base, target));
  if (!inside) {
    notFound(res);
    return;
  }
  const file = (await fileAt(target)) ?? (await fileAt(join(target, 'index.html')));
  if (file) {
    send(req, res, file.path, file.size, urlPath?.startsWith('/assets/') === true);
    return;
  }
  const fallback = extname(target) === '' ? await fileAt(join(base, 'index.html')) : undefined;
  if (fallback) send(req, res, fallback.path, fallback.size, false);
  else notFound(res);
}

function send(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  size: number,
  immutable: boolean,
): void {
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream',
    'content-length': size,
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  createReadStream(path)
    .on('error', () => res.destroy())
    .pipe(res);
}

async function fileAt(path: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function decodePath(path: string): string | undefined {
  try {
    return decodeURIComponent(path);
  } catch {
    return undefined;
  }
}

function notFound(res: ServerResponse): void {
  res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found');
}
