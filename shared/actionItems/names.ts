import { ownerKey } from './owners.js';

/**
 * Merges the ways one person's name gets typed ("Alice", "alice ", "@alice",
 * "Dana Smith" / "dana.smith") with the comparison the "My items" filter
 * uses (ownerKey), and picks one spelling to show: the most used, a spelling
 * without "@" before one with it, then the first seen.
 */
export class NameMerger {
  private readonly people = new Map<string, Map<string, { count: number; first: number }>>();
  private seen = 0;

  /** Records one occurrence and returns the person's key ('' for a name that is only punctuation). */
  add(name: string): string {
    const spelled = name.trim();
    const key = ownerKey(spelled);
    if (!key) return '';
    let variants = this.people.get(key);
    if (!variants) this.people.set(key, (variants = new Map()));
    const v = variants.get(spelled);
    if (v) v.count++;
    else variants.set(spelled, { count: 1, first: this.seen++ });
    return key;
  }

  keys(): string[] {
    return [...this.people.keys()];
  }

  /** The spelling to show for a person. */
  display(key: string): string {
    return this.variants(key)[0] ?? key;
  }

  /** Every spelling seen, the one to show first. */
  variants(key: string): string[] {
    const variants = this.people.get(key);
    if (!variants) return [];
    return [...variants.entries()]
      .sort(([a, x], [b, y]) => y.count - x.count || Number(a.startsWith('@')) - Number(b.startsWith('@')) || x.first - y.first)
      .map(([name]) => name);
  }
}
