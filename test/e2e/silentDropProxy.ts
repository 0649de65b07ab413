import net from 'node:net';

export interface SilentDropProxy {
  url: string;
  /** The network vanishes for the WebSockets open now, silently: nothing more passes either way (no close, no pong). */
  drop(): void;
  /** What browsers send on their collaboration WebSockets is kept back (the server's messages still arrive)… */
  hold(): void;
  /** …until this: a round trip as long as the test needs. */
  release(): void;
  close(): Promise<void>;
}

/**
 * A TCP proxy in front of the server for the collaboration WebSockets'
 * network faults: a silent drop, where the server keeps the socket, and a
 * held uplink. New connections pass as usual after a drop.
 */
export async function silentDropProxy(target: URL): Promise<SilentDropProxy> {
  const links: { ws: boolean; dropped: boolean; held: Buffer[]; sockets: net.Socket[]; server: net.Socket }[] = [];
  let holding = false;
  const server = net.createServer((browserSide) => {
    const serverSide = net.connect(Number(target.port), target.hostname);
    const link = { ws: false, dropped: false, held: [] as Buffer[], sockets: [browserSide, serverSide], server: serverSide };
    links.push(link);
    let first = true;
    browserSide.on('data', (d) => {
      if (first) link.ws = d.toString('latin1').startsWith('GET /collab/');
      first = false;
      if (link.dropped) return;
      if (link.ws && holding) link.held.push(d);
      else serverSide.write(d);
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
    hold: () => {
      holding = true;
    },
    release: () => {
      holding = false;
      for (const l of links) for (const d of l.held.splice(0)) if (!l.dropped) l.server.write(d);
    },
    close: async () => {
      for (const l of links) for (const s of l.sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
