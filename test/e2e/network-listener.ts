/**
 * A local HTTP listener that records every request, connection and WebSocket upgrade: the target
 * reader code aims its network attempts at, so a spec can assert that nothing reached it (the code
 * cells' sandbox, the grading page). It answers with a tiny JavaScript module, so an import the
 * browser allowed would succeed and show up.
 */
import { createServer, type Server } from 'node:http';

export interface NetworkListener {
  /** What reached the listener, in order ("GET /fetch?secret=1", "tcp connection", "upgrade /ws"). */
  hits: string[];
  url: string;
  close(): Promise<void>;
}

export async function startNetworkListener(): Promise<NetworkListener> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/javascript', 'access-control-allow-origin': '*' });
    res.end('export default 1;');
  });
  server.on('connection', () => hits.push('tcp connection'));
  server.on('upgrade', (req, socket) => {
    hits.push(`upgrade ${req.url}`);
    socket.destroy();
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error(`network listener: expected a TCP address, received ${String(address)}`);
  return {
    hits,
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
