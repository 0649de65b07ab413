// The least a durable Yjs server can do: the y-websocket protocol on an
// in-memory Y.Doc per room (as the y-websocket reference server), with every
// update appended to a log file and synced before it is broadcast
// (bench/lib/durableLog.ts). Presence goes through an Awareness per room, as
// there. No validation, no SQLite, no features: the floor for a Yjs server
// that keeps "durable before anyone sees it".
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as syncProtocol from 'y-protocols/sync';
import type { WebSocket, RawData } from 'ws';
import * as Y from 'yjs';
import { createDurableLog, withDurableLog } from '../lib/durableLog.js';
import { runPeerChild } from '../lib/peerChild.js';
import { roomName, startWsPeerServer } from '../lib/wsPeerServer.js';

const MESSAGE_SYNC = 0;
const MESSAGE_AWARENESS = 1;

interface AwarenessChange {
  added: number[];
  updated: number[];
  removed: number[];
}

interface Room {
  doc: Y.Doc;
  awareness: awarenessProtocol.Awareness;
  /** Each socket with the presence ids it sent (removed when it closes). */
  conns: Map<WebSocket, Set<number>>;
}

function awarenessMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS);
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
  return encoding.toUint8Array(encoder);
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
    const doc = new Y.Doc({ gc: true });
    const created: Room = { doc, awareness: new awarenessProtocol.Awareness(doc), conns: new Map() };
    created.awareness.setLocalState(null);
    doc.on('update', (update: Uint8Array, origin: unknown) =>
      log.append(update, (send) => {
        const message = updateMessage(update);
        for (const conn of created.conns.keys()) if (conn !== origin) send(conn, message);
      }),
    );
    // Presence as the reference server handles it: applied to the room's Awareness, and only what is newer relayed.
    // Relaying every presence message as is would loop: a stock client re-sends each remote state it applies.
    created.awareness.on('update', ({ added, updated, removed }: AwarenessChange, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const ids = created.conns.get(origin as WebSocket);
      if (ids) {
        for (const id of [...added, ...updated]) ids.add(id);
        for (const id of removed) ids.delete(id);
      }
      const message = awarenessMessage(created.awareness, changed);
      for (const conn of created.conns.keys()) if (conn.readyState === conn.OPEN) conn.send(message);
    });
    rooms.set(name, created);
    return created;
  };

  const peer = await startWsPeerServer((ws, req) => {
    const room = roomFor(roomName(req));
    room.conns.set(ws, new Set());
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
        // Presence is not stored (as every server here does).
        awarenessProtocol.applyAwarenessUpdate(room.awareness, decoding.readVarUint8Array(decoder), ws);
      }
    });
    ws.on('close', () => {
      const ids = room.conns.get(ws);
      room.conns.delete(ws);
      if (ids && ids.size > 0) awarenessProtocol.removeAwarenessStates(room.awareness, [...ids], null);
    });
    const step1 = encoding.createEncoder();
    encoding.writeVarUint(step1, MESSAGE_SYNC);
    syncProtocol.writeSyncStep1(step1, room.doc);
    ws.send(encoding.toUint8Array(step1));
    const present = [...room.awareness.getStates().keys()];
    if (present.length > 0) ws.send(awarenessMessage(room.awareness, present));
  });
  return withDurableLog(peer, log);
});
