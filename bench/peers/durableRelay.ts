// The floor for "durable before anyone sees it": the bare relay, except that
// every frame is appended to a log file and synced before it is forwarded
// (bench/lib/durableLog.ts). No Yjs, no validation, no SQLite: only the
// durable write itself, so the bench shows what durability alone costs.
import { createDurableLog, withDurableLog } from '../lib/durableLog.js';
import { runPeerChild } from '../lib/peerChild.js';
import { startRelayServer } from '../lib/wsPeerServer.js';

await runPeerChild(async () => {
  const log = createDurableLog({ paceMs: Number(process.env.COMMIT_PACE_MS ?? 10) });
  const relay = await startRelayServer((from, peers, data) =>
    log.append(data, (send) => {
      for (const peer of peers) if (peer !== from) send(peer, data);
    }),
  );
  return withDurableLog(relay, log);
});
