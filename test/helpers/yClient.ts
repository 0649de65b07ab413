import * as Y from 'yjs';
import { WebsocketProvider } from 'y-websocket';
import WebSocket from 'ws';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import { eventually } from './eventually.js';

export interface YClient {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** Close events seen by this client's sockets: { code, reason }. */
  closes: { code: number; reason: string }[];
  destroy(): void;
}

/** What a test may do with each socket a client opens (every reconnect opens a new one). */
export interface SocketHooks {
  /** The URL the socket really goes to (a load balancer's choice), from the one the provider asks for. */
  url?(url: string): string;
  /** A new socket was created. */
  opened?(): void;
  /** A message is about to be sent. */
  sending?(data: unknown): void;
}

/**
 * A stock y-websocket client in Node, exactly as any third-party client would
 * connect: `new WebsocketProvider(origin + '/collab', sessionId, doc, { params: { token } })`.
 */
export function connectClient(
  wsUrl: string,
  sessionId: string,
  token: string,
  opts: { doc?: Y.Doc; params?: Record<string, string>; connect?: boolean; socket?: SocketHooks } = {},
): YClient {
  const doc = opts.doc ?? new Y.Doc();
  const closes: { code: number; reason: string }[] = [];
  const hooks = opts.socket ?? {};
  class RecordingWebSocket extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(hooks.url ? hooks.url(url) : url, protocols);
      hooks.opened?.();
      this.on('close', (code: number, reason: Buffer) => closes.push({ code, reason: reason.toString() }));
    }
    override send(data: unknown, ...rest: unknown[]): void {
      hooks.sending?.(data);
      (super.send as (...args: unknown[]) => void).call(this, data, ...rest);
    }
  }
  const provider = new WebsocketProvider(wsUrl, sessionId, doc, {
    params: { token, ...opts.params },
    WebSocketPolyfill: RecordingWebSocket as unknown as typeof globalThis.WebSocket,
    connect: opts.connect ?? true,
    maxBackoffTime: 300,
    // Clients in one process would otherwise sync through a BroadcastChannel and bypass the server.
    disableBc: true,
  });
  return {
    doc,
    provider,
    closes,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** The tests' one polling helper, under the name older tests use (see ./eventually.ts). */
export { eventually as waitFor } from './eventually.js';

export function waitForSync(client: YClient, timeoutMs = 5000): Promise<void> {
  return eventually(() => client.provider.synced, timeoutMs, 'sync');
}

/** Appends a paragraph to the notes fragment, the way the editor would. */
export function appendParagraph(doc: Y.Doc, text: string): void {
  const fragment = doc.getXmlFragment(NOTES_FRAGMENT);
  doc.transact(() => {
    const p = new Y.XmlElement('paragraph');
    p.insert(0, [new Y.XmlText(text)]);
    fragment.push([p]);
  });
}

/** All text of the notes, paragraphs joined by newlines. */
export function notesText(doc: Y.Doc): string {
  const out: string[] = [];
  const walk = (node: Y.XmlElement | Y.XmlFragment | Y.XmlText) => {
    if (node instanceof Y.XmlText) {
      out.push(node.toString().replace(/<[^>]+>/g, ''));
      return;
    }
    node.toArray().forEach((child) => walk(child as Y.XmlElement | Y.XmlText));
    if (node instanceof Y.XmlElement) out.push('\n');
  };
  walk(doc.getXmlFragment(NOTES_FRAGMENT));
  return out.join('');
}
