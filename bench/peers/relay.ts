// The floor: a bare byte relay. No Yjs, no storage, no validation: every binary
// frame goes to every other socket of the same room, as is.
import { startRelayServer } from '../lib/wsPeerServer.js';
import { runPeerChild } from '../lib/peerChild.js';

await runPeerChild(() =>
  startRelayServer((from, peers, data) => {
    for (const peer of peers) if (peer !== from && peer.readyState === peer.OPEN) peer.send(data);
  }),
);
