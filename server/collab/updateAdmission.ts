import * as Y from 'yjs';

/** Bounds an update must keep, counted through the document it would join. */
export interface AdmissionLimits {
  /** Deepest nesting of shared types below a root (see LIMITS.maxNestingDepth). */
  maxDepth: number;
  /** Shared types one update may create. */
  maxNodes: number;
  /** Characters a text node may hold after the update. */
  maxTextPerNode: number;
}

export type Admission =
  | { ok: true; /** Per client, the clock just past the update's last struct. */ to: Map<number, number> }
  /** The update itself is wrong (or breaks a limit): the client's fault. */
  | { ok: false; kind: 'malformed' | 'limit'; reason: string }
  /** The update depends on changes this document has not seen: not the client's fault around a reconnect. */
  | { ok: false; kind: 'missing'; reason: string };

type Struct = Y.Item | Y.GC | Y.Skip;
/** Yjs' own name for any shared type (as `doc.share` holds them). */
export type SharedType = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/** Where an update's item will live once Yjs integrates it. */
type ParentRef =
  | { kind: 'type'; type: SharedType }
  | { kind: 'newRoot'; name: string }
  | { kind: 'item'; item: Y.Item }
  /** Yjs turns the item into garbage (its neighbour or parent was collected). */
  | { kind: 'gc' }
  | { kind: 'missing' }
  | { kind: 'bad'; reason: string };

type Located = { kind: 'doc'; struct: Y.Item | Y.GC } | { kind: 'update'; struct: Y.Item | Y.GC } | { kind: 'missing' } | { kind: 'bad'; reason: string };

const GC_REF: ParentRef = { kind: 'gc' };
const MISSING_REF: ParentRef = { kind: 'missing' };

class Refused extends Error {
  constructor(
    readonly kind: 'malformed' | 'limit' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Decides, before anything is applied, whether `update` may join `doc`:
 * it must not nest shared types deeper than `maxDepth` (counting the
 * ancestors it would have in the stored document), create more than
 * `maxNodes` types, or grow a text node past `maxTextPerNode`; and every
 * struct it refers to must be known. Yjs applies what passes without
 * throwing, and without leaving anything pending.
 *
 * Expects an update that passed `validateUpdateV1`. Runs in time linear in
 * the update (plus a binary search per reference); the only walks up the
 * stored document are capped at `maxDepth` steps and memoised per type.
 */
export function admitUpdate(doc: Y.Doc, update: Uint8Array, limits: AdmissionLimits): Admission {
  try {
    return new Admitter(doc, limits).run(update);
  } catch (err) {
    if (err instanceof Refused) return { ok: false, kind: err.kind, reason: err.message };
    // Yjs' own decoder refused it.
    return { ok: false, kind: 'malformed', reason: 'malformed update' };
  }
}

class Admitter {
  private readonly states = new Map<number, number>();
  private readonly blocks = new Map<number, Struct[]>();
  private readonly parents = new Map<Y.Item, ParentRef>();
  private readonly itemDepths = new Map<Y.Item, number>();
  private readonly typeDepths = new Map<SharedType, number>();
  private structCount = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly limits: AdmissionLimits,
  ) {}

  run(update: Uint8Array): Admission {
    const { structs, ds } = Y.decodeUpdate(update);
    const to = new Map<number, number>();
    this.structCount = structs.length;
    for (const s of structs as Struct[]) {
      let block = this.blocks.get(s.id.client);
      if (!block) this.blocks.set(s.id.client, (block = []));
      block.push(s);
      to.set(s.id.client, s.id.clock + s.length);
    }
    for (const [client, block] of this.blocks) {
      if (block[0]!.id.clock > this.state(client)) throw new Refused('missing', 'update depends on unknown changes');
    }

    // Yjs looks up every struct's references, even of structs it already holds, and parks the
    // struct when one is missing: so all of them must resolve, not only the new ones.
    const fresh: Y.Item[] = [];
    for (const s of structs as Struct[]) {
      if (!(s instanceof Y.Item)) continue;
      const ref = this.parentOf(s);
      if (ref.kind === 'bad') throw new Refused('malformed', ref.reason);
      if (ref.kind === 'missing') throw new Refused('missing', 'update depends on unknown changes');
      if (s.id.clock + s.length > this.state(s.id.client)) fresh.push(s);
    }
    if (!this.integratesFully()) throw new Refused('missing', 'update depends on changes it does not carry');

    let nodes = 0;
    const text = new Map<unknown, number>();
    for (const item of fresh) {
      const ref = this.parents.get(item)!;
      if (ref.kind === 'gc') continue;
      if (item.content instanceof Y.ContentType) {
        if (++nodes > this.limits.maxNodes) throw new Refused('limit', 'update creates too many nodes');
        if (this.depthOfItem(item) > this.limits.maxDepth) throw new Refused('limit', 'update nests too deeply');
      } else if (item.content instanceof Y.ContentString) {
        const key = ref.kind === 'type' ? ref.type : ref.kind === 'item' ? ref.item : `root:${ref.kind === 'newRoot' ? ref.name : ''}`;
        let total = text.get(key);
        if (total === undefined) total = ref.kind === 'type' && ref.type instanceof Y.Text ? ref.type.length : 0;
        total += item.content.str.length;
        if (total > this.limits.maxTextPerNode) throw new Refused('limit', 'text node too long');
        text.set(key, total);
      }
    }

    for (const [client, ranges] of ds.clients) {
      const block = this.blocks.get(client);
      const known = Math.max(this.state(client), block ? to.get(client)! : 0);
      for (const r of ranges) {
        if (r.clock + r.len > known) throw new Refused('missing', 'update deletes unknown changes');
      }
    }
    return { ok: true, to };
  }

  private state(client: number): number {
    let s = this.states.get(client);
    if (s === undefined) this.states.set(client, (s = Y.getState(this.doc.store, client)));
    return s;
  }

  /**
   * Replays the order in which Yjs' integrateStructs takes the update's
   * structs (client blocks from the highest id down, detouring to the block
   * a struct depends on), without integrating anything: false when Yjs would
   * park a struct as pending (a dependency it cannot reach in that order, or
   * a cycle between clients).
   */
  private integratesFully(): boolean {
    const targets = new Map<number, { refs: Struct[]; i: number }>();
    for (const [client, block] of this.blocks) targets.set(client, { refs: block, i: 0 });
    const ids = [...targets.keys()].sort((a, b) => a - b);
    const simulated = new Map<number, number>();
    const stateOf = (client: number) => simulated.get(client) ?? this.state(client);
    const nextTarget = () => {
      while (ids.length > 0) {
        const t = targets.get(ids[ids.length - 1]!)!;
        if (t.i < t.refs.length) return t;
        ids.pop();
      }
      return null;
    };
    const missingClient = (s: Struct): number | null => {
      if (!(s instanceof Y.Item)) return null;
      const own = s.id.client;
      for (const id of [s.origin, s.rightOrigin, s.parent instanceof Y.ID ? s.parent : null]) {
        if (id && id.client !== own && id.clock >= stateOf(id.client)) return id.client;
      }
      return null;
    };
    let current = nextTarget();
    if (!current) return true;
    let head = current.refs[current.i++]!;
    const stack: Struct[] = [];
    for (;;) {
      if (!(head instanceof Y.Skip)) {
        const offset = stateOf(head.id.client) - head.id.clock;
        if (offset < 0) return false;
        const missing = missingClient(head);
        if (missing !== null) {
          stack.push(head);
          const t = targets.get(missing);
          if (!t || t.i === t.refs.length) return false;
          head = t.refs[t.i++]!;
          continue;
        }
        if (offset === 0 || offset < head.length) simulated.set(head.id.client, head.id.clock + head.length);
      }
      if (stack.length > 0) head = stack.pop()!;
      else if (current && current.i < current.refs.length) head = current.refs[current.i++]!;
      else {
        current = nextTarget();
        if (!current) return true;
        head = current.refs[current.i++]!;
      }
    }
  }

  /** The struct holding `id`, in the document or in the update. */
  private locate(id: Y.ID, from: Y.Item): Located {
    // A client only ever refers to its own earlier changes; Yjs throws on anything else.
    if (id.client === from.id.client && id.clock >= from.id.clock) return { kind: 'bad', reason: 'a struct refers to a later change of its own client' };
    if (id.clock < this.state(id.client)) {
      const struct = Y.getItem(this.doc.store, id) as Y.Item | Y.GC;
      return { kind: 'doc', struct };
    }
    const block = this.blocks.get(id.client);
    if (!block) return { kind: 'missing' };
    let lo = 0;
    let hi = block.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = block[mid]!;
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s instanceof Y.Skip ? { kind: 'missing' } : { kind: 'update', struct: s };
    }
    return { kind: 'missing' };
  }

  /**
   * The parent `start` will have, following Yjs' rules: an explicit parent,
   * else the right neighbour's, else the left neighbour's. Chains of
   * neighbours inside the update share one parent and are resolved in one
   * iterative pass.
   */
  private parentOf(start: Y.Item): ParentRef {
    const first = this.parents.get(start);
    if (first) return first;
    const chain: Y.Item[] = [];
    let cur = start;
    let result: ParentRef;
    for (;;) {
      const known = this.parents.get(cur);
      if (known) {
        result = known;
        break;
      }
      // A chain longer than the update has items must have come round in a circle.
      if (chain.length > this.structCount) {
        result = { kind: 'bad', reason: 'cyclic references' };
        break;
      }
      chain.push(cur);
      const p = cur.parent as unknown;
      if (typeof p === 'string') {
        const existing = this.doc.share.get(p);
        result = existing ? { kind: 'type', type: existing } : { kind: 'newRoot', name: p };
        break;
      }
      if (p instanceof Y.ID) {
        result = this.explicitParent(cur, p);
        break;
      }
      const right = cur.rightOrigin ? this.locate(cur.rightOrigin, cur) : null;
      const left = cur.origin ? this.locate(cur.origin, cur) : null;
      if (right?.kind === 'bad' || left?.kind === 'bad') {
        result = right?.kind === 'bad' ? right : (left as { kind: 'bad'; reason: string });
        break;
      }
      if (right?.kind === 'missing' || left?.kind === 'missing') {
        result = MISSING_REF;
        break;
      }
      const r = right as { kind: 'doc' | 'update'; struct: Y.Item | Y.GC } | null;
      const l = left as { kind: 'doc' | 'update'; struct: Y.Item | Y.GC } | null;
      const neighbour = r ?? l;
      if (!neighbour || r?.struct instanceof Y.GC || l?.struct instanceof Y.GC) {
        result = GC_REF;
        break;
      }
      const item = neighbour.struct as Y.Item;
      if (neighbour.kind === 'doc') {
        result = item.parent ? { kind: 'type', type: item.parent as SharedType } : GC_REF;
        break;
      }
      cur = item;
    }
    for (const c of chain) this.parents.set(c, result);
    return result;
  }

  private explicitParent(from: Y.Item, id: Y.ID): ParentRef {
    const loc = this.locate(id, from);
    if (loc.kind === 'bad') return loc;
    if (loc.kind === 'missing') return MISSING_REF;
    if (loc.struct instanceof Y.GC) return GC_REF;
    if (!(loc.struct.content instanceof Y.ContentType)) return { kind: 'bad', reason: 'parent is not a shared type' };
    return loc.kind === 'doc' ? { kind: 'type', type: loc.struct.content.type as SharedType } : { kind: 'item', item: loc.struct };
  }

  /** Depth of a type the update creates: its ancestors in the update, then in the document. */
  private depthOfItem(start: Y.Item): number {
    const chain: Y.Item[] = [];
    const onChain = new Set<Y.Item>();
    let cur = start;
    let base: number;
    for (;;) {
      const known = this.itemDepths.get(cur);
      if (known !== undefined) {
        base = known;
        break;
      }
      if (onChain.has(cur)) throw new Refused('malformed', 'cyclic parents');
      onChain.add(cur);
      chain.push(cur);
      const ref = this.parents.get(cur) ?? this.parentOf(cur);
      if (ref.kind === 'item') {
        cur = ref.item;
        continue;
      }
      base = ref.kind === 'type' ? this.depthOfType(ref.type) : 0;
      break;
    }
    // The last entry sits right below depth `base`; each earlier one a level further down.
    for (let i = chain.length - 1, d = base + 1; i >= 0; i--, d++) this.itemDepths.set(chain[i]!, d);
    return this.itemDepths.get(start)!;
  }

  /** Depth of a stored type (a root is 0), walking at most maxDepth + 1 steps up. */
  private depthOfType(type: SharedType): number {
    const known = this.typeDepths.get(type);
    if (known !== undefined) return known;
    let d = 0;
    let t: SharedType | null = type;
    while (t && t._item !== null && d <= this.limits.maxDepth) {
      d++;
      t = t._item.parent as SharedType | null;
    }
    this.typeDepths.set(type, d);
    return d;
  }
}
