import type { BrowserContext, Page } from 'playwright-core';

export interface SocketClose {
  code: number;
  reason: string;
  url: string;
}

/**
 * Records, for every page of a context, each WebSocket the app opens and how
 * each one closed (code and reason: playwright's own WebSocket events do not
 * carry the close code). Call before the first page.goto.
 */
export async function recordSockets(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const Native = window.WebSocket;
    const w = window as unknown as { __rtOpens: string[]; __rtCloses: { code: number; reason: string; url: string }[] };
    w.__rtOpens = [];
    w.__rtCloses = [];
    class Recording extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        w.__rtOpens.push(String(url));
        this.addEventListener('close', (e) => w.__rtCloses.push({ code: e.code, reason: e.reason, url: String(url) }));
      }
    }
    window.WebSocket = Recording;
  });
}

/** Sockets the page created so far (URLs), and their closes. */
export async function socketLog(page: Page): Promise<{ opens: string[]; closes: SocketClose[] }> {
  return page.evaluate(() => {
    const w = window as unknown as { __rtOpens?: string[]; __rtCloses?: SocketClose[] };
    return { opens: w.__rtOpens ?? [], closes: w.__rtCloses ?? [] };
  });
}

/**
 * Records every value the status badge takes (its data-status), so a test can
 * say what was never shown ("offline" during a restart) after a barrier.
 */
export async function recordStatuses(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const w = window as unknown as { __rtStatuses: string[] };
    w.__rtStatuses = [];
    const seen = () => {
      const s = document.querySelector('[data-testid="status"]')?.getAttribute('data-status');
      if (s && w.__rtStatuses.at(-1) !== s) w.__rtStatuses.push(s);
    };
    new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-status'] });
  });
}

export async function statusLog(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __rtStatuses?: string[] }).__rtStatuses ?? []);
}
