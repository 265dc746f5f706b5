/**
 * Serve a built site like a plain static host, e.g. the sub-path build:
 *   BASE_PATH=/course/ npm run build && npx tsx test/serve.ts dist /course/ 8080
 */
import { startStaticServer } from './static-server.ts';

const [dir = 'dist', base = '/', port = '8080'] = process.argv.slice(2);
await startStaticServer({ dir, base, port: Number(port) });
console.log(`Serving ${dir} at http://127.0.0.1:${port}${base}`);
