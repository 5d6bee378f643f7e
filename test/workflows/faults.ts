import net, { type AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real server that a test can cut and restore: `cut()` drops
 * every connection and stops listening (clients get "connection refused"), `restore()`
 * listens again on the same port.
 */
export async function tcpProxy(targetHost: string, targetPort: number) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server = net.createServer((client) => {
        const upstream = net.connect(targetPort, targetHost);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => s.destroy());
        }
        client.pipe(upstream).pipe(client);
        client.on('close', () => upstream.destroy());
        upstream.on('close', () => client.destroy());
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  return {
    get port() {
      return port;
    },
    async cut() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
      server = undefined;
    },
    restore: listen,
    close() {
      for (const s of sockets) s.destroy();
      return new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    },
  };
}

