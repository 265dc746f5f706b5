/**
 * A plain static host for the browser tests, like GitHub Pages or a university web folder:
 * serves `dir` under `base` (e.g. `/course/`), index.html for directories, a 301 to the
 * trailing-slash URL for directories asked without it, `.gz` files as-is (application/gzip, no
 * Content-Encoding), and the site's 404.html with status 404 for anything missing.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.xml': 'application/xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.gz': 'application/gzip',
};

export interface StaticServerOptions {
  dir: string;
  base: string;
  port: number;
  host?: string;
  /** Extra headers on every response, e.g. a Content-Security-Policy (csp.spec.ts). */
  headers?: Record<string, string>;
}

export function startStaticServer({ dir, base, port, host = '127.0.0.1', headers = {} }: StaticServerOptions): Promise<Server> {
  if (!base.startsWith('/') || !base.endsWith('/')) {
    throw new Error(`startStaticServer: base must start and end with "/", received "${base}"`);
  }
  const root = resolve(dir);
  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', `http://${host}`);
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { Allow: 'GET, HEAD' }).end();
        return;
      }
      const notFound = async () => {
        const page = await readFile(join(root, '404.html')).catch(() => Buffer.from('Not found'));
        res.writeHead(404, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
        res.end(req.method === 'HEAD' ? undefined : page);
      };
      let pathname: string;
      try {
        pathname = decodeURIComponent(url.pathname);
      } catch {
        return notFound();
      }
      if (`${pathname}/` === base) {
        res.writeHead(301, { Location: base + url.search }).end();
        return;
      }
      if (!pathname.startsWith(base)) return notFound();
      const file = normalize(join(root, pathname.slice(base.length)));
      if (file !== root && !file.startsWith(root + sep)) return notFound();
      const info = await stat(file).catch(() => undefined);
      if (info?.isDirectory()) {
        if (!pathname.endsWith('/')) {
          res.writeHead(301, { Location: `${url.pathname}/${url.search}` }).end();
          return;
        }
        const index = join(file, 'index.html');
        const indexInfo = await stat(index).catch(() => undefined);
        if (!indexInfo?.isFile()) return notFound();
        return send(index, indexInfo.size);
      }
      if (!info?.isFile()) return notFound();
      return send(file, info.size);

      function send(path: string, size: number) {
        res.writeHead(200, {
          ...headers,
          'Content-Type': types[extname(path)] ?? 'application/octet-stream',
          'Content-Length': size,
          'Cache-Control': 'no-cache',
        });
        if (req.method === 'HEAD') res.end();
        else createReadStream(path).pipe(res);
      }
    })().catch((error: unknown) => {
      res.writeHead(500, { 'Content-Type': 'text/plain' }).end(String(error));
    });
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => done(server));
  });
}
