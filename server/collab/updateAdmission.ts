import * as Y from 'yjs';
import {
  emptyShape,
  PARENT_ID,
  PARENT_ROOT,
  REF_UNREADABLE,
  S_CLIENT,
  S_CLOCK,
  S_LENGTH,
  S_ORIGIN_CLIENT,
  S_ORIGIN_CLOCK,
  S_PARENT_A,
  S_PARENT_B,
  S_PARENT_KIND,
  S_REF,
  S_RIGHT_CLIENT,
  S_RIGHT_CLOCK,
  STRUCT_FIELDS,
  validateUpdateV1,
  type UpdateShape,
} from './updateValidation.js';

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

/** Yjs' own name for any shared type (as `doc.share` holds them). */
export type SharedType = NonNullable<ReturnType<Y.Doc['share']['get']>>;

/** Where an update's item will live once Yjs integrates it. `item` is the index of a struct of the update. */
type ParentRef =
  | { kind: 'type'; type: SharedType }
  | { kind: 'newRoot'; name: string }
  | { kind: 'item'; item: number }
  /** Yjs turns the item into garbage (its neighbour or parent was collected). */
  | { kind: 'gc' }
  | { kind: 'missing' }
  | { kind: 'bad'; reason: string };

const GC_REF: ParentRef = { kind: 'gc' };
/** integratesFully's arrays until it needs them (never, for an update of one client). */
const NONE: number[] = [];
const MISSING_REF: ParentRef = { kind: 'missing' };
const LATER_OWN_CHANGE: ParentRef = { kind: 'bad', reason: 'a struct refers to a later change of its own client' };
const CYCLIC: ParentRef = { kind: 'bad', reason: 'cyclic references' };

/** Struct refs (the low five bits of a struct's info byte). */
const REF_GC = 0;
const REF_STRING = 4;
const REF_TYPE = 7;
const REF_SKIP = 10;

/** What `locate` found: a struct of the document (`locatedStruct`), one of the update (`locatedIndex`), nothing, or a bad reference. */
const IN_DOC = 0;
const IN_UPDATE = 1;
const NOWHERE = 2;
const BAD = 3;

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
 * Runs in time linear in the update (plus a binary search per reference);
 * the only walks up the stored document are capped at `maxDepth` steps and
 * memoised per type.
 */
export function admitUpdate(doc: Y.Doc, update: Uint8Array, limits: AdmissionLimits): Admission {
  const shape = emptyShape();
  if (validateUpdateV1(update, undefined, shape) !== null) return { ok: false, kind: 'malformed', reason: 'malformed update' };
  return admitShape(doc, shape, limits);
}

/**
 * `admitUpdate` for an update already read by `validateUpdateV1` (which
 * returned null and filled `shape`): the update is not decoded again.
 */
export function admitShape(doc: Y.Doc, shape: UpdateShape, limits: AdmissionLimits): Admission {
  try {
    return new Admitter(doc, shape, limits).run();
  } catch (err) {
    if (err instanceof Refused) return { ok: false, kind: err.kind, reason: err.message };
    return { ok: false, kind: 'malformed', reason: 'malformed update' };
  }
}

/**
 * One admission. Works on the update's flat shape by struct index; its
 * memos are arrays indexed like the structs, allocated only when needed.
 */
class Admitter {
  private readonly s: number[];
  private readonly blocks: number[];
  private readonly structCount: number;
  /** Per struct index: its resolved parent. */
  private readonly parents: (ParentRef | undefined)[] = [];
  private itemDepths: number[] | null = null;
  private typeDepths: Map<SharedType, number> | null = null;
  /** Client id → index into `blocks` (by threes), once an update has many clients. */
  private blockIndex: Map<number, number> | null = null;
  private locatedStruct: Y.Item | Y.GC | null = null;
  private locatedIndex = -1;
  /** integratesFully's walk, per block: the next struct Yjs takes, the client's state so far (-1: the document's); blocks by client id. */
  private next: number[] = NONE;
  private simulated: number[] = NONE;
  private order: number[] = NONE;
  private blocksLeft = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly shape: UpdateShape,
    private readonly limits: AdmissionLimits,
  ) {
    this.s = shape.structs;
    this.blocks = shape.blocks;
    this.structCount = shape.structs.length / STRUCT_FIELDS;
    if (this.blocks.length > 8 * 3) {
      this.blockIndex = new Map();
      for (let b = 0; b < this.blocks.length; b += 3) this.blockIndex.set(this.blocks[b]!, b);
    }
  }

  run(): Admission {
    const { s, blocks } = this;
    for (let f = S_REF; f < s.length; f += STRUCT_FIELDS) {
      // Yjs' own decoder refuses it.
      if (s[f] === REF_UNREADABLE) throw new Refused('malformed', 'malformed update');
    }
    const to = new Map<number, number>();
    for (let b = 0; b < blocks.length; b += 3) {
      const client = blocks[b]!;
      const last = (blocks[b + 2]! - 1) * STRUCT_FIELDS;
      to.set(client, s[last + S_CLOCK]! + s[last + S_LENGTH]!);
    }
    for (let b = 0; b < blocks.length; b += 3) {
      if (s[blocks[b + 1]! * STRUCT_FIELDS + S_CLOCK]! > this.state(blocks[b]!)) throw new Refused('missing', 'update depends on unknown changes');
    }

    // Yjs looks up every struct's references, even of structs it already holds, and parks the
    // struct when one is missing: so all of them must resolve, not only the new ones.
    let fresh: number[] | null = null;
    for (let i = 0; i < this.structCount; i++) {
      const f = i * STRUCT_FIELDS;
      if (!isItem(s[f + S_REF]!)) continue;
      const ref = this.parentOf(i);
      if (ref.kind === 'bad') throw new Refused('malformed', ref.reason);
      if (ref.kind === 'missing') throw new Refused('missing', 'update depends on unknown changes');
      if (s[f + S_CLOCK]! + s[f + S_LENGTH]! > this.state(s[f + S_CLIENT]!)) (fresh ??= []).push(i);
    }
    if (!this.integratesFully()) throw new Refused('missing', 'update depends on changes it does not carry');

    let nodes = 0;
    let text: Map<unknown, number> | null = null;
    for (const item of fresh ?? []) {
      const ref = this.parents[item]!;
      if (ref.kind === 'gc') continue;
      const contentRef = s[item * STRUCT_FIELDS + S_REF]!;
      if (contentRef === REF_TYPE) {
        if (++nodes > this.limits.maxNodes) throw new Refused('limit', 'update creates too many nodes');
        if (this.depthOfItem(item) > this.limits.maxDepth) throw new Refused('limit', 'update nests too deeply');
      } else if (contentRef === REF_STRING) {
        // An update item is keyed by its index (a number), a root the update creates by its name (a string).
        const key = ref.kind === 'type' ? ref.type : ref.kind === 'item' ? ref.item : `root:${ref.kind === 'newRoot' ? ref.name : ''}`;
        text ??= new Map();
        let total = text.get(key);
        if (total === undefined) total = ref.kind === 'type' && ref.type instanceof Y.Text ? ref.type.length : 0;
        total += s[item * STRUCT_FIELDS + S_LENGTH]!;
        if (total > this.limits.maxTextPerNode) throw new Refused('limit', 'text node too long');
        text.set(key, total);
      }
    }

    const deletes = this.shape.deletes;
    for (let r = 0; r < deletes.length; r += 3) {
      const client = deletes[r]!;
      const known = Math.max(this.state(client), to.get(client) ?? 0);
      if (deletes[r + 1]! + deletes[r + 2]! > known) throw new Refused('missing', 'update deletes unknown changes');
    }
    return { ok: true, to };
  }

  private state(client: number): number {
    return Y.getState(this.doc.store, client);
  }

  /** The offset into `blocks` of `client`'s block, or -1. */
  private blockOf(client: number): number {
    if (this.blockIndex) return this.blockIndex.get(client) ?? -1;
    for (let b = 0; b < this.blocks.length; b += 3) if (this.blocks[b] === client) return b;
    return -1;
  }

  /**
   * Replays the order in which Yjs' integrateStructs takes the update's
   * structs (client blocks from the highest id down, detouring to the block
   * a struct depends on), without integrating anything: false when Yjs would
   * park a struct as pending (a dependency it cannot reach in that order, or
   * a cycle between clients).
   */
  private integratesFully(): boolean {
    const { s, blocks } = this;
    const blockCount = blocks.length / 3;
    if (blockCount === 0) return true;
    if (blockCount === 1) return this.integratesAlone();
    const next: number[] = (this.next = []);
    const simulated: number[] = (this.simulated = []);
    const order: number[] = (this.order = []);
    for (let k = 0; k < blockCount; k++) {
      next.push(blocks[k * 3 + 1]!);
      simulated.push(-1);
      order.push(k);
    }
    if (blockCount > 1) order.sort((a, b) => blocks[a * 3]! - blocks[b * 3]!);
    this.blocksLeft = blockCount;
    let current = this.nextTarget();
    if (current < 0) return true;
    let head = next[current]!++;
    const stack: number[] = [];
    for (;;) {
      const f = head * STRUCT_FIELDS;
      if (s[f + S_REF] !== REF_SKIP) {
        const client = s[f + S_CLIENT]!;
        const clock = s[f + S_CLOCK]!;
        const length = s[f + S_LENGTH]!;
        const offset = this.simulatedState(client) - clock;
        if (offset < 0) return false;
        const missing = this.missingClient(f);
        if (missing >= 0) {
          stack.push(head);
          const b = this.blockOf(missing);
          if (b < 0 || !this.hasNext(b / 3)) return false;
          head = next[b / 3]!++;
          continue;
        }
        if (offset === 0 || offset < length) simulated[this.blockOf(client) / 3] = clock + length;
      }
      if (stack.length > 0) head = stack.pop()!;
      else if (current >= 0 && this.hasNext(current)) head = next[current]!++;
      else {
        current = this.nextTarget();
        if (current < 0) return true;
        head = next[current]!++;
      }
    }
  }

  /**
   * integratesFully for one client (a keystroke): Yjs takes its structs in
   * order, and parks the first one that refers to another client's change
   * the document does not hold, or that leaves a gap.
   */
  private integratesAlone(): boolean {
    const s = this.s;
    const own = this.blocks[0]!;
    let state = this.state(own);
    for (let f = this.blocks[1]! * STRUCT_FIELDS, end = this.blocks[2]! * STRUCT_FIELDS; f < end; f += STRUCT_FIELDS) {
      if (s[f + S_REF] === REF_SKIP) continue;
      const clock = s[f + S_CLOCK]!;
      const length = s[f + S_LENGTH]!;
      const offset = state - clock;
      if (offset < 0) return false;
      if (isItem(s[f + S_REF]!)) {
        let client = s[f + S_ORIGIN_CLIENT]!;
        if (client >= 0 && client !== own && s[f + S_ORIGIN_CLOCK]! >= this.state(client)) return false;
        client = s[f + S_RIGHT_CLIENT]!;
        if (client >= 0 && client !== own && s[f + S_RIGHT_CLOCK]! >= this.state(client)) return false;
        client = s[f + S_PARENT_A]!;
        if (s[f + S_PARENT_KIND] === PARENT_ID && client !== own && s[f + S_PARENT_B]! >= this.state(client)) return false;
      }
      if (offset === 0 || offset < length) state = clock + length;
    }
    return true;
  }

  /** During integratesFully: a client's state as integrated so far. */
  private simulatedState(client: number): number {
    const b = this.blockOf(client);
    const simulated = b >= 0 ? this.simulated[b / 3]! : -1;
    return simulated >= 0 ? simulated : this.state(client);
  }

  private hasNext(block: number): boolean {
    return this.next[block]! < this.blocks[block * 3 + 2]!;
  }

  /** The block Yjs takes next once its stack is empty: the highest client id with structs left, or -1. */
  private nextTarget(): number {
    while (this.blocksLeft > 0) {
      const k = this.order[this.blocksLeft - 1]!;
      if (this.hasNext(k)) return k;
      this.blocksLeft--;
    }
    return -1;
  }

  /** A client (not the struct's own) whose change the struct at `f` refers to and that is not integrated yet, or -1. */
  private missingClient(f: number): number {
    const s = this.s;
    if (!isItem(s[f + S_REF]!)) return -1;
    const own = s[f + S_CLIENT]!;
    // Yjs' order: origin, right origin, parent.
    let client = s[f + S_ORIGIN_CLIENT]!;
    if (client >= 0 && client !== own && s[f + S_ORIGIN_CLOCK]! >= this.simulatedState(client)) return client;
    client = s[f + S_RIGHT_CLIENT]!;
    if (client >= 0 && client !== own && s[f + S_RIGHT_CLOCK]! >= this.simulatedState(client)) return client;
    if (s[f + S_PARENT_KIND] !== PARENT_ID) return -1;
    client = s[f + S_PARENT_A]!;
    if (client !== own && s[f + S_PARENT_B]! >= this.simulatedState(client)) return client;
    return -1;
  }

  /**
   * The struct holding (client, clock), in the document (`locatedStruct`) or
   * in the update (`locatedIndex`); `from` is the referring struct's index.
   */
  private locate(client: number, clock: number, from: number): number {
    const f = from * STRUCT_FIELDS;
    // A client only ever refers to its own earlier changes; Yjs throws on anything else.
    if (client === this.s[f + S_CLIENT] && clock >= this.s[f + S_CLOCK]!) return BAD;
    if (clock < this.state(client)) {
      this.locatedStruct = Y.getItem(this.doc.store, Y.createID(client, clock)) as Y.Item | Y.GC;
      return IN_DOC;
    }
    const b = this.blockOf(client);
    if (b < 0) return NOWHERE;
    const s = this.s;
    let lo = this.blocks[b + 1]!;
    let hi = this.blocks[b + 2]! - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const m = mid * STRUCT_FIELDS;
      if (clock < s[m + S_CLOCK]!) hi = mid - 1;
      else if (clock >= s[m + S_CLOCK]! + s[m + S_LENGTH]!) lo = mid + 1;
      else {
        if (s[m + S_REF] === REF_SKIP) return NOWHERE;
        this.locatedIndex = mid;
        return IN_UPDATE;
      }
    }
    return NOWHERE;
  }

  /**
   * The parent item `start` will have, following Yjs' rules: an explicit
   * parent, else the right neighbour's, else the left neighbour's. Chains of
   * neighbours inside the update share one parent and are resolved in one
   * iterative pass.
   */
  private parentOf(start: number): ParentRef {
    const first = this.parents[start];
    if (first) return first;
    const s = this.s;
    const chain: number[] = [];
    let cur = start;
    let result: ParentRef;
    for (;;) {
      const known = this.parents[cur];
      if (known) {
        result = known;
        break;
      }
      // A chain longer than the update has items must have come round in a circle.
      if (chain.length > this.structCount) {
        result = CYCLIC;
        break;
      }
      chain.push(cur);
      const f = cur * STRUCT_FIELDS;
      const parentKind = s[f + S_PARENT_KIND];
      if (parentKind === PARENT_ROOT) {
        const name = this.shape.names[s[f + S_PARENT_A]!]!;
        const existing = this.doc.share.get(name);
        result = existing ? { kind: 'type', type: existing } : { kind: 'newRoot', name };
        break;
      }
      if (parentKind === PARENT_ID) {
        result = this.explicitParent(cur, s[f + S_PARENT_A]!, s[f + S_PARENT_B]!);
        break;
      }
      // The right neighbour first, as Yjs takes the parent from it when it has one.
      const hasRight = s[f + S_RIGHT_CLIENT]! >= 0;
      const hasLeft = s[f + S_ORIGIN_CLIENT]! >= 0;
      const right = hasRight ? this.locate(s[f + S_RIGHT_CLIENT]!, s[f + S_RIGHT_CLOCK]!, cur) : NOWHERE;
      const rightStruct = this.locatedStruct;
      const rightIndex = this.locatedIndex;
      const left = hasLeft ? this.locate(s[f + S_ORIGIN_CLIENT]!, s[f + S_ORIGIN_CLOCK]!, cur) : NOWHERE;
      if ((hasRight && right === BAD) || (hasLeft && left === BAD)) {
        result = LATER_OWN_CHANGE;
        break;
      }
      if ((hasRight && right === NOWHERE) || (hasLeft && left === NOWHERE)) {
        result = MISSING_REF;
        break;
      }
      if (!hasRight && !hasLeft) {
        result = GC_REF;
        break;
      }
      if ((hasRight && this.isGc(right, rightStruct, rightIndex)) || (hasLeft && this.isGc(left, this.locatedStruct, this.locatedIndex))) {
        result = GC_REF;
        break;
      }
      const where = hasRight ? right : left;
      if (where === IN_DOC) {
        const item = (hasRight ? rightStruct : this.locatedStruct) as Y.Item;
        result = item.parent ? { kind: 'type', type: item.parent as SharedType } : GC_REF;
        break;
      }
      cur = hasRight ? rightIndex : this.locatedIndex;
    }
    for (const c of chain) this.parents[c] = result;
    return result;
  }

  private isGc(where: number, struct: Y.Item | Y.GC | null, index: number): boolean {
    return where === IN_DOC ? struct instanceof Y.GC : this.s[index * STRUCT_FIELDS + S_REF] === REF_GC;
  }

  private explicitParent(from: number, client: number, clock: number): ParentRef {
    const where = this.locate(client, clock, from);
    if (where === BAD) return LATER_OWN_CHANGE;
    if (where === NOWHERE) return MISSING_REF;
    if (where === IN_DOC) {
      const struct = this.locatedStruct!;
      if (struct instanceof Y.GC) return GC_REF;
      if (!(struct.content instanceof Y.ContentType)) return { kind: 'bad', reason: 'parent is not a shared type' };
      return { kind: 'type', type: struct.content.type as SharedType };
    }
    const ref = this.s[this.locatedIndex * STRUCT_FIELDS + S_REF];
    if (ref === REF_GC) return GC_REF;
    if (ref !== REF_TYPE) return { kind: 'bad', reason: 'parent is not a shared type' };
    return { kind: 'item', item: this.locatedIndex };
  }

  /** Depth of a type the update creates: its ancestors in the update, then in the document. */
  private depthOfItem(start: number): number {
    const depths = (this.itemDepths ??= []);
    const chain: number[] = [];
    const onChain = new Set<number>();
    let cur = start;
    let base: number;
    for (;;) {
      const known = depths[cur];
      if (known !== undefined) {
        base = known;
        break;
      }
      if (onChain.has(cur)) throw new Refused('malformed', 'cyclic parents');
      onChain.add(cur);
      chain.push(cur);
      const ref = this.parents[cur] ?? this.parentOf(cur);
      if (ref.kind === 'item') {
        cur = ref.item;
        continue;
      }
      base = ref.kind === 'type' ? this.depthOfType(ref.type) : 0;
      break;
    }
    // The last entry sits right below depth `base`; each earlier one a level further down.
    for (let i = chain.length - 1, d = base + 1; i >= 0; i--, d++) depths[chain[i]!] = d;
    return depths[start]!;
  }

  /** Depth of a stored type (a root is 0), walking at most maxDepth + 1 steps up. */
  private depthOfType(type: SharedType): number {
    const memo = (this.typeDepths ??= new Map());
    const known = memo.get(type);
    if (known !== undefined) return known;
    let d = 0;
    let t: SharedType | null = type;
    while (t && t._item !== null && d <= this.limits.maxDepth) {
      d++;
      t = t._item.parent as SharedType | null;
    }
    memo.set(type, d);
    return d;
  }
}

function isItem(ref: number): boolean {
  return ref !== REF_GC && ref !== REF_SKIP;
}
