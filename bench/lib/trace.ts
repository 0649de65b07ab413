import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = 'shared/fixtures/traces/automerge-paper.json.gz';

/**
 * The trace the benches replay: BENCH_TRACE, or the fixture next to the
 * checkout (../shared), or next to a directory of worktrees (../../shared).
 * May not exist: every bench says so and skips what needs it.
 */
export function traceFile(): string {
  if (process.env.BENCH_TRACE) return path.resolve(process.env.BENCH_TRACE);
  const near = ['..', '../..'].map((up) => path.resolve(root, up, FIXTURE));
  return near.find((f) => fs.existsSync(f)) ?? near[0]!;
}

/** A y-websocket client that publishes no presence (the trace benches measure documents only). */
export interface TraceClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connectTraceClient(wsUrl: string, room: string, params: Record<string, string>): TraceClient {
  const doc = new Y.Doc();
  // No BroadcastChannel: clients in one process would otherwise sync around the server.
  const provider = new WebsocketProvider(wsUrl, room, doc, { params, WebSocketPolyfill: WebSocket as unknown as typeof globalThis.WebSocket, disableBc: true });
  provider.awareness.setLocalState(null);
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The replayed paragraph's text (the trace is typed into the last paragraph of the notes). */
export function replayedText(doc: Y.Doc): string {
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  const last = fragment.get(fragment.length - 1);
  const text = last instanceof Y.XmlElement ? last.get(0) : null;
  if (!(text instanceof Y.XmlText)) return '';
  // The plain text: toString() would spell formatting as XML.
  return text
    .toDelta()
    .map((d: { insert?: unknown }) => (typeof d.insert === 'string' ? d.insert : ''))
    .join('');
}

/** An editing trace in the josephg/editing-traces format. */
export interface EditingTrace {
  startContent: string;
  endContent: string;
  txns: { patches: [position: number, deleted: number, inserted: string][] }[];
}

/** Reads a .json.gz trace, or returns null when the file is not there. */
export function loadTrace(file: string): EditingTrace | null {
  if (!fs.existsSync(file)) return null;
  const trace = JSON.parse(zlib.gunzipSync(fs.readFileSync(file)).toString('utf8')) as EditingTrace;
  // Positions count code points, Y.Text counts UTF-16 units: they agree only without astral characters.
  const astral = /[\uD800-\uDFFF]/;
  if (astral.test(trace.startContent) || trace.txns.some((t) => t.patches.some((p) => astral.test(p[2])))) {
    throw new Error(`${file}: characters outside the BMP are not supported by this replay`);
  }
  return trace;
}
