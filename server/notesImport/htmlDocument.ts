import { parseHTML } from 'linkedom';

/**
 * Parses HTML with linkedom (a DOM that never runs scripts or loads
 * anything) and returns its body. A fragment ("<b>x</b> y") gets a document
 * around it first: linkedom reads only whole documents.
 */
export function htmlBody(html: string): Element {
  const whole = /<body[\s>]/i.test(html) ? html : `<!doctype html><html><head></head><body>${html.replace(/<!doctype[^>]*>|<\/?html[^>]*>|<head[\s>][\s\S]*?<\/head>/gi, '')}</body></html>`;
  const { document } = parseHTML(whole);
  return document.body as unknown as Element;
}

/** The document's <title> (Etherpad's HTML export puts the pad's name there). */
export function htmlTitle(html: string): string | null {
  const m = /<title[^>]*>([^<]*)<\/title>/i.exec(html.slice(0, 65_536));
  if (!m) return null;
  const { document } = parseHTML(`<!doctype html><html><body><p>${m[1]}</p></body></html>`);
  return document.body.textContent?.trim() || null;
}
