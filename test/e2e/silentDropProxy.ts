import net from 'node:net';

export interface SilentDropProxy {
  url: string;
  drop(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the server whose `drop()` makes the network vanish
 * for the WebSockets open at that moment, silently: nothing more passes either
 * way (no close, no pong), and the server keeps the socket. New connections
 * pass as usual.
 */
export async function silentDropProxy(target: URL): Promise<SilentDropProxy> {
  const links: { ws: boolean; dropped: boolean; sockets: net.Socket[] }[] = [];
  const server = net.createServer((browserSide) => {
    const serverSide = net.connect(Number(target.port), target.hostname);
    const link = { ws: false, dropped: false, sockets: [browserSide, serverSide] };
    links.push(link);
    let first = true;
    browserSide.on('data', (d) => {
      if (first) link.ws = d.toString('latin1').startsWith('GET /collab/');
      first = false;
      if (!link.dropped) serverSide.write(d);
    });
    serverSide.on('data', (d) => {
      if (!link.dropped) browserSide.write(d);
    });
    // A dropped link tells neither side anything, not even that the other went away.
    browserSide.on('close', () => link.dropped || serverSide.destroy());
    serverSide.on('close', () => link.dropped || browserSide.destroy());
    browserSide.on('error', () => {});
    serverSide.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    drop: () => {
      for (const l of links) if (l.ws) l.dropped = true;
    },
    close: async () => {
      for (const l of links) for (const s of l.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
