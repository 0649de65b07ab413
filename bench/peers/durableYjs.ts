// The least a durable Yjs server can do: the y-websocket protocol on an
// in-memory Y.Doc per room (as the y-websocket reference server), with every
// update appended to a log file and synced before it is broadcast
// (bench/lib/durableLog.ts). No validation, no SQLite, no features: the floor
// for a Yjs server that keeps "durable before anyone sees it".
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as syncProtocol from 'y-protocols/sync';
import type { WebSocket, RawData } from 'ws';
import * as Y from 'yjs';
import { createDurableLog, withDurableLog } from '../lib/durableLog.js';
import { runPeerChild } from '../lib/peerChild.js';
import { roomName, startWsPeerServer } from '../lib/wsPeerServer.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

interface Room {
  doc: Y.Doc;
  conns: Set<WebSocket>;
}

function updateMessage(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_SYNC);
  syncProtocol.writeUpdate(encoder, update);
  return encoding.toUint8Array(encoder);
}

await runPeerChild(async () => {
  const log = createDurableLog({ paceMs: Number(process.env.COMMIT_PACE_MS ?? 10) });
  const rooms = new Map<string, Room>();
  const roomFor = (name: string): Room => {
    const room = rooms.get(name);
    if (room) return room;
    const created: Room = { doc: new Y.Doc({ gc: true }), conns: new Set() };
    created.doc.on('update', (update: Uint8Array, origin: unknown) =>
      log.append(update, (send) => {
        const message = updateMessage(update);
        for (const conn of created.conns) if (conn !== origin) send(conn, message);
      }),
    );
    rooms.set(name, created);
    return created;
  };

  const peer = await startWsPeerServer((ws, req) => {
    const room = roomFor(roomName(req));
    room.conns.add(ws);
    ws.on('message', (data: RawData) => {
      const bytes = new Uint8Array(data as Buffer);
      const decoder = decoding.createDecoder(bytes);
      const type = decoding.readVarUint(decoder);
      if (type === MESSAGE_SYNC) {
        const reply = encoding.createEncoder();
        encoding.writeVarUint(reply, MESSAGE_SYNC);
        // SyncStep1 is answered with SyncStep2; an update is applied with this socket as its origin.
        syncProtocol.readSyncMessage(decoder, reply, room.doc, ws);
        if (encoding.length(reply) > 1) ws.send(encoding.toUint8Array(reply));
      } else if (type === MESSAGE_AWARENESS) {
        // Presence is relayed as is, not stored (as every server here does).
        for (const conn of room.conns) if (conn !== ws && conn.readyState === conn.OPEN) conn.send(bytes);
      }
    });
    ws.on('close', () => room.conns.delete(ws));
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, room.doc);
    ws.send(encoding.toUint8Array(step1));
  });
  return withDurableLog(peer, log);
});
