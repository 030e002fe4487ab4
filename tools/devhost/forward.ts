// A TCP listener on 127.0.0.1 that pipes every connection to a unix socket. It is how a
// browser outside the demo's network namespace reaches code-server inside it: the socket is a
// file, visible from both sides, so the namespace needs no interface but loopback, no veth
// and no routes — nothing inside can send a packet anywhere else.

import { createConnection, createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Forwarder {
  port: number;
  close(): Promise<void>;
}

export function forwardToSocket(port: number, socketPath: string): Promise<Forwarder> {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    const upstream = createConnection(socketPath);
    for (const s of [client, upstream]) {
      open.add(s);
      s.once('close', () => open.delete(s));
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.once('error', () => upstream.destroy());
    upstream.once('error', () => client.destroy());
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`127.0.0.1:${port} is in use: pick another port with npm start -- --port N`) : e),
    );
    server.listen(port, '127.0.0.1', () =>
      resolve({
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((r) => {
            for (const s of open) s.destroy();
            server.close(() => r());
          }),
      }),
    );
  });
}
