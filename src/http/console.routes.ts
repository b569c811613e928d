import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import type { Router } from './router';

/** Where `npm run build:console` writes the bundle: `<project root>/dist/console`. */
export function defaultConsoleDir(): string {
  // This file runs from src/http (ts-node, jest) or dist/src/http (built): walk up to the folder holding package.json.
  let dir = __dirname;
  for (let i = 0; i < 5 && !existsSync(join(dir, 'package.json')); i++) dir = resolve(dir, '..');
  return join(dir, 'dist', 'console');
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Deepest SPA path served (e.g. /console/customers/:id/credits); the router has no wildcard. */
const MAX_DEPTH = 6;

function sendText(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    'content-type': 'text/plain; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
  });
  res.end(text);
}

async function fileInfo(path: string) {
  try {
    const info = await stat(path);
    return info.isFile() ? info : null;
  } catch {
    return null;
  }
}

/**
 * Serves the console bundle at /console: files under dist/console with their content type, hashed
 * assets cached for a year (immutable), and every other path below /console answered with index.html
 * (revalidated each time) so client-side routes survive a reload. Paths never leave the bundle folder.
 */
export function registerConsoleRoutes(router: Router, options: { dir?: string } = {}): void {
  const root = resolve(options.dir ?? defaultConsoleDir());

  const handler = async (req: IncomingMessage, res: ServerResponse, _params: unknown, url: URL) => {
    if (url.pathname === '/console') {
      res.writeHead(301, { location: `/console/${url.search}` });
      res.end();
      return;
    }
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice('/console/'.length));
    } catch {
      return sendText(res, 400, 'Bad path');
    }
    const requested = resolve(root, relative);
    if (requested !== root && !requested.startsWith(root + sep)) return sendText(res, 404, 'Not found');

    const isAsset = extname(relative) !== '';
    const file = isAsset ? requested : join(root, 'index.html');
    const info = await fileInfo(file);
    if (!info && isAsset) return sendText(res, 404, 'Not found');
    if (!info) {
      return sendText(
        res,
        503,
        'The console is not built: run `npm run build:console` (part of `npm run build`).',
      );
    }

    const etag = `W/"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    const immutable = relative.startsWith('assets/');
    const headers: Record<string, string | number> = {
      'content-type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      etag,
      'x-content-type-options': 'nosniff',
    };
    if (file.endsWith('.html')) {
      // The console talks to this server only: no third-party scripts, styles or connections.
      headers['content-security-policy'] =
        "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; frame-ancestors 'none'";
      headers['referrer-policy'] = 'same-origin';
    }
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    headers['content-length'] = info.size;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((done, fail) => {
      const stream = createReadStream(file);
      stream.on('error', fail);
      res.on('close', () => {
        stream.destroy();
        done();
      });
      stream.on('end', done);
      stream.pipe(res);
    });
  };

  // The router's params are letters only: /console, /console/:a, /console/:a/:b, …
  let pattern = '/console';
  router.add('GET', pattern, handler);
  for (const name of 'abcdefgh'.slice(0, MAX_DEPTH)) {
    pattern += `/:${name}`;
    router.add('GET', pattern, handler);
  }
}
