import net from 'node:net';

/**
 * A TCP proxy in front of a real backing service (S3, Redis) that can be paused: while paused it
 * forwards nothing in either direction and leaves new connections unanswered, as a stalled or
 * frozen server would. Resuming lets everything through again. Loopback only.
 */
export interface StallProxy {
  url(protocol: string): string;
  port: number;
  pause(): void;
  resume(): void;
  close(): Promise<void>;
}

export async function startStallProxy(target: { host: string; port: number }): Promise<StallProxy> {
  let paused = false;
  const hold = ([client, upstream]: [net.Socket, net.Socket]) => {
    client.unpipe(upstream);
    upstream.unpipe(client);
    client.pause();
    upstream.pause();
  };
  const pairs = new Set<[net.Socket, net.Socket]>();
  const waiting: (() => void)[] = [];

  const server = net.createServer((client) => {
    const connect = () => {
      const upstream = net.connect(target.port, target.host);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      pairs.add(pair);
      client.pipe(upstream);
      upstream.pipe(client);
      const end = () => {
        pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      if (paused) hold(pair);
    };
    client.on('error', () => client.destroy());
    if (paused) waiting.push(connect);
    else connect();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;

  return {
    port,
    url: (protocol) => `${protocol}://127.0.0.1:${port}`,
    pause() {
      paused = true;
      // Nothing flows: bytes already sent wait in the kernel's buffers, nothing more is read.
      for (const pair of pairs) hold(pair);
    },
    resume() {
      paused = false;
      for (const [client, upstream] of pairs) {
        client.pipe(upstream);
        upstream.pipe(client);
      }
      for (const connect of waiting.splice(0)) connect();
    },
    async close() {
      for (const pair of pairs) for (const s of pair) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
