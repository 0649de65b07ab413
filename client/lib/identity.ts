import { LIMITS } from '../../shared/limits.js';

/** Accessible caret colours (WCAG AA on white for the label text colour chosen below). */
export const PALETTE = ['#d1242f', '#0969da', '#1a7f37', '#8250df', '#bc4c00', '#bf3989', '#0a7c86', '#6e5f00', '#cf222e', '#1f6feb'];

/** A stable colour from a name, so a person keeps their colour on every device. */
export function colorFor(name: string): string {
  let h = 2166136261;
  for (const ch of name.trim().toLowerCase()) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

const NAME_KEY = 'roundtable:name';

export function storedName(): string | null {
  const n = localStorage.getItem(NAME_KEY)?.trim();
  return n ? n.slice(0, LIMITS.displayNameMaxLength) : null;
}

export function saveName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim().slice(0, LIMITS.displayNameMaxLength);
  localStorage.setItem(NAME_KEY, clean);
  return clean;
}
