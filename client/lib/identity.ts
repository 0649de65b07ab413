import { LIMITS } from '../../shared/limits.js';

/**
 * People's colours: caret labels (white text on the colour, at least 4.5:1)
 * and the light tint behind their text in "Show authors". Twelve hues picked
 * to lie far apart (CIELAB distance at least 30, lib.test.ts checks it) and
 * away from the greys, teal and violet of the server's own kinds of author
 * (shared/history/history.ts): the old palette had two reds and two blues a
 * person could not tell apart.
 */
export const PALETTE = ['#dd0000', '#aa4422', '#776600', '#007700', '#0077bb', '#2266dd', '#2200ff', '#774488', '#aa00dd', '#bb0099', '#dd0055', '#993355'];

/** A stable colour from a name, so a person keeps their colour on every device. */
export function colorFor(name: string): string {
  let h = 2166136261;
  for (const ch of name.trim().toLowerCase()) h = Math.imul(h ^ ch.codePointAt(0)!, 16777619);
  return PALETTE[(h >>> 0) % PALETTE.length]!;
}

/** The first palette colour from `preferred` on (wrapping) that is not in `used`; `preferred` itself when all are. */
function firstFree(preferred: string, used: ReadonlySet<string>): string {
  const start = Math.max(0, PALETTE.indexOf(preferred));
  for (let i = 0; i < PALETTE.length; i++) {
    const c = PALETTE[(start + i) % PALETTE.length]!;
    if (!used.has(c)) return c;
  }
  return preferred;
}

/**
 * Colours for people shown together (a version's legend and tint): in the
 * given order, each keeps the colour they showed (`preferred`, or their
 * name's when it is not a palette colour, e.g. from an older palette) unless
 * someone earlier already has it, then takes the next free one. No two share
 * a colour until there are more people than colours. Keys are returned as given.
 */
export function distinctColors(people: readonly { key: string; name: string; preferred: string | null }[]): Map<string, string> {
  const out = new Map<string, string>();
  const used = new Set<string>();
  for (const p of people) {
    if (out.has(p.key)) continue;
    const shown = p.preferred?.toLowerCase() ?? '';
    const color = firstFree(PALETTE.includes(shown) ? shown : colorFor(p.name), used);
    out.set(p.key, color);
    used.add(color);
  }
  return out;
}

/**
 * This client's caret colour among the people present (their awareness
 * client ids and colours): its name's colour when nobody else shows it, else
 * it keeps its current one unless that clashes with someone whose client id
 * is lower (the lower id keeps a contested colour, so two clients that join
 * at once do not both move, or keep swapping), else the next free one after
 * its name's colour. Each client decides alone, and they settle in one round
 * per clash.
 */
export function caretColor(name: string, self: { clientId: number; color: string }, others: readonly { clientId: number; color: string }[]): string {
  const preferred = colorFor(name);
  const current = self.color.toLowerCase();
  const used = new Set(others.map((o) => o.color.toLowerCase()));
  if (!used.has(preferred)) return preferred;
  const yields = others.some((o) => o.color.toLowerCase() === current && o.clientId < self.clientId);
  if (PALETTE.includes(current) && !yields) return current;
  const lower = new Set(others.filter((o) => o.clientId < self.clientId).map((o) => o.color.toLowerCase()));
  // Free of everyone if possible; failing that, at least of those this client yields to.
  const free = firstFree(preferred, used);
  return used.has(free) ? firstFree(preferred, lower) : free;
}

const NAME_KEY = 'roundtable:name';

export function storedName(): string | null {
  const n = localStorage.getItem(NAME_KEY)?.trim();
  return n ? n.slice(0, LIMITS.displayNameMaxLength) : null;
}

/**
 * Calls `changed` when another tab of this browser saves a new name: one
 * person in two tabs writes under one name, not the old one in the other tab
 * (the minutes would credit both). Returns the function that stops listening.
 */
export function onNameSavedElsewhere(changed: (name: string | null) => void): () => void {
  const listen = (e: StorageEvent) => {
    if (e.key === NAME_KEY) changed(storedName());
  };
  window.addEventListener('storage', listen);
  return () => window.removeEventListener('storage', listen);
}

export function saveName(name: string): string {
  const clean = name.replace(/\s+/g, ' ').trim().slice(0, LIMITS.displayNameMaxLength);
  localStorage.setItem(NAME_KEY, clean);
  return clean;
}
