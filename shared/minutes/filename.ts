const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * A safe download filename: no path separators, control characters, quotes
 * or reserved Windows names; at most 150 characters before the extension.
 */
export function sanitizeFilename(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).replace(/[^a-z0-9]/gi, '').slice(0, 8) : '';
  let base = (dot > 0 ? name.slice(0, dot) : name)
    // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
    .replace(/[\u0000-\u001f\u007f"*/:<>?\\|]+/g, ' ')
    .replace(/\.{2,}/g, '.')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^[.\s-]+|[.\s]+$/g, '');
  if (!base || RESERVED.test(base)) base = `minutes${base ? `-${base}` : ''}`;
  base = [...base].slice(0, 150).join('');
  return ext ? `${base}.${ext}` : base;
}

/** An ASCII-only fallback for old clients. */
export function asciiFilename(name: string): string {
  const ascii = sanitizeFilename(name)
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .replace(/\s+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-(?=\.)|-$/g, '');
  return ascii && !ascii.startsWith('.') ? ascii : `download${ascii.startsWith('.') ? ascii : ''}`;
}

/** `attachment; filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266 / RFC 5987). */
export function contentDisposition(name: string): string {
  const safe = sanitizeFilename(name);
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${asciiFilename(safe)}"; filename*=UTF-8''${encoded}`;
}
