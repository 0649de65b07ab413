// The y-websocket reference server (@y/websocket-server), in memory, as its own bin runs it.
import { setupWSConnection } from '@y/websocket-server/utils';
import { runPeerChild } from '../lib/peerChild.js';
import { startWsPeerServer } from '../lib/wsPeerServer.js';

await runPeerChild(() => startWsPeerServer((ws, req) => setupWSConnection(ws, req)));
