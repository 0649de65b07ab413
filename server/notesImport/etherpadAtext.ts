import { ImportProblem } from '../../shared/notesImport/importProblem.js';

/** One run of text with the attributes Etherpad stored on it. */
export interface PadSpan {
  text: string;
  attribs: ReadonlyMap<string, string>;
}

/** One line of a pad: the line attributes (from its `*` line marker) and its text runs. */
export interface PadLine {
  lineAttribs: ReadonlyMap<string, string>;
  spans: PadSpan[];
}

export type AttribPool = Readonly<Record<string, readonly [string, string]>>;

// Etherpad's operation syntax: attribute refs (*n), an optional line count (|n), the op and its char count, all base 36.
const OP = /((?:\*[0-9a-z]+)*)(?:\|([0-9a-z]+))?([-+=])([0-9a-z]+)|\?|(.)/gy;
const EMPTY: ReadonlyMap<string, string> = new Map();

/** Every broken rule of an atext is one problem for people (the pad is damaged); the rule itself is the detail. */
const damaged = (message: string, where: string) => new ImportProblem('etherpad_damaged', message, { where, detail: message });

/**
 * Decodes a pad's attributed text (`atext.text` + `atext.attribs`, e.g.
 * `*0+m|1+j*2*3*1+1`) into lines of attributed spans. Every rule Etherpad
 * keeps for an atext is checked, so a damaged file is refused with the
 * reason instead of being imported half right: only `+` ops; the ops cover
 * the text exactly; an op with a line count ends with its last newline and
 * holds exactly that many; an op without one holds none; every attribute
 * number is in the pool.
 */
export function decodeAtext(text: string, attribs: string, pool: AttribPool): PadLine[] {
  const lines: PadLine[] = [];
  let current: PadSpan[] = [];
  let pos = 0;
  let opIndex = 0;
  OP.lastIndex = 0;
  const where = 'atext.attribs';
  while (OP.lastIndex < attribs.length) {
    const start = OP.lastIndex;
    const m = OP.exec(attribs);
    if (!m || m[5] !== undefined || m[0] === '?') throw damaged(`the attribute string has an unexpected character at offset ${start}`, where);
    opIndex++;
    if (m[3] !== '+') throw damaged(`operation ${opIndex} is "${m[3]}": a pad's text may only be made of insertions ("+")`, where);
    const chars = parseInt(m[4]!, 36);
    const lineCount = m[2] ? parseInt(m[2], 36) : 0;
    if (pos + chars > text.length) throw damaged(`operation ${opIndex} runs past the end of the text (${pos + chars} > ${text.length} characters)`, where);
    const slice = text.slice(pos, pos + chars);
    const newlines = countNewlines(slice);
    if (newlines !== lineCount) throw damaged(`operation ${opIndex} says ${lineCount} line(s) but its text has ${newlines}`, where);
    if (lineCount > 0 && !slice.endsWith('\n')) throw damaged(`operation ${opIndex} has lines but does not end at a line break`, where);
    const map = attribsOf(m[1]!, pool, opIndex);
    const parts = slice.split('\n');
    parts.forEach((part, i) => {
      if (part) current.push({ text: part, attribs: map });
      if (i < parts.length - 1) {
        lines.push(lineOf(current));
        current = [];
      }
    });
    pos += chars;
  }
  if (pos !== text.length) throw damaged(`the attribute string covers ${pos} characters but the text has ${text.length}`, where);
  if (current.length) throw damaged('the pad text does not end with a line break', 'atext.text');
  return lines;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i !== -1; i = s.indexOf('\n', i + 1)) n++;
  return n;
}

function attribsOf(refs: string, pool: AttribPool, opIndex: number): ReadonlyMap<string, string> {
  if (!refs) return EMPTY;
  const map = new Map<string, string>();
  for (const ref of refs.split('*').slice(1)) {
    const attrib = pool[String(parseInt(ref, 36))];
    if (!attrib) throw damaged(`operation ${opIndex} uses attribute *${ref}, which is not in the pool`, 'atext.attribs');
    // An empty value means "attribute removed" in Etherpad.
    if (attrib[1] !== '') map.set(attrib[0], attrib[1]);
  }
  return map;
}

/** A line that starts with Etherpad's line marker (`*` carrying `lmkr`) takes the marker's attributes as its own. */
function lineOf(spans: PadSpan[]): PadLine {
  const first = spans[0];
  if (!first || !first.attribs.has('lmkr') || !first.text.startsWith('*')) return { lineAttribs: EMPTY, spans };
  const rest = first.text.slice(1);
  return { lineAttribs: first.attribs, spans: rest ? [{ text: rest, attribs: first.attribs }, ...spans.slice(1)] : spans.slice(1) };
}
