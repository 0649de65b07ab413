import { createChainableState, getSchema, wrappingInputRule, type InputRule } from '@tiptap/core';
import { inputRegex as taskItemInputRegex } from '@tiptap/extension-list';
import { Node as PMNode } from '@tiptap/pm/model';
import { EditorState, TextSelection, type Transaction } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { createSchemaExtensions } from './extensions.js';
import { taskFromBulletItemRule } from './taskFromBulletItem.js';
import { tickTaskItemRule } from './tickTaskItem.js';

const schema = getSchema(createSchemaExtensions());
/** The task-box rules in the order extensions.ts registers them: Tiptap's own (plain paragraph) first. */
const rules: InputRule[] = [
  wrappingInputRule({ find: taskItemInputRegex, type: schema.nodes.taskItem!, getAttributes: (m) => ({ checked: m[m.length - 1] === 'x' }) }),
  taskFromBulletItemRule(taskItemInputRegex),
  tickTaskItemRule(taskItemInputRegex),
];

type J = Record<string, unknown>;
const p = (text = ''): J => ({ type: 'paragraph', content: text ? [{ type: 'text', text }] : [] });
const li = (text: string, ...nested: J[]): J => ({ type: 'listItem', content: [p(text), ...nested] });
const ti = (checked: boolean, text: string, ...nested: J[]): J => ({ type: 'taskItem', attrs: { checked }, content: [p(text), ...nested] });
const bullets = (...items: J[]): J => ({ type: 'bulletList', content: items });
const ordered = (start: number, ...items: J[]): J => ({ type: 'orderedList', attrs: { start, type: null }, content: items });
const tasks = (...items: J[]): J => ({ type: 'taskList', content: items });
const doc = (...content: J[]) => PMNode.fromJSON(schema, { type: 'doc', content });

/** A state with the caret where `@` is in the document (the `@` removed). */
function stateAt(d: PMNode): EditorState {
  let at = -1;
  d.descendants((node, pos) => {
    if (at < 0 && node.isText && node.text!.includes('@')) at = pos + node.text!.indexOf('@');
    return at < 0;
  });
  if (at < 0) throw new Error('no @ in the document');
  const without = EditorState.create({ doc: d }).tr.delete(at, at + 1).doc;
  return EditorState.create({ doc: without, selection: TextSelection.create(without, at) });
}

interface Applied { tr: Transaction; from: number; to: number; text: string }

/** Types `text` key by key as Tiptap's input-rule plugin sees it (handleTextInput): a rule that matches replaces the key. */
function type(start: EditorState, text: string): { state: EditorState; lastRule: Applied | null } {
  let state = start;
  let lastRule: Applied | null = null;
  for (const key of text) {
    const { from, to, $from } = state.selection;
    const textBefore = $from.parent.textBetween(0, $from.parentOffset, undefined, '\ufffc') + key;
    let applied = false;
    for (const rule of rules) {
      const match = (rule.find as RegExp).exec(textBefore);
      if (!match) continue;
      const tr = state.tr;
      const handler = rule.handler({
        state: createChainableState({ state, transaction: tr }),
        range: { from: from - (match[0].length - key.length), to },
        match: match as never,
        commands: {} as never,
        chain: (() => ({ run: () => true })) as never,
        can: (() => ({})) as never,
      });
      if (handler === null || !tr.steps.length) continue;
      lastRule = { tr, from, to, text: key };
      state = state.apply(tr);
      applied = true;
      break;
    }
    if (!applied) {
      state = state.apply(state.tr.insertText(key, from, to));
      lastRule = null;
    }
  }
  return { state, lastRule };
}

/** What Ctrl+Z right after a rule does (Tiptap's undoInputRule, client/editor/undoInputRule.ts): the steps inverted, the key typed. */
function undoRule(state: EditorState, rule: Applied): EditorState {
  const tr = state.tr;
  for (let i = rule.tr.steps.length - 1; i >= 0; i--) tr.step(rule.tr.steps[i]!.invert(rule.tr.docs[i]!));
  tr.insertText(rule.text, rule.from, rule.to);
  return state.apply(tr);
}

const caretParent = (state: EditorState) => state.selection.$from.parent.textContent;

describe('"[ ] " and "[x] " in a bullet item (taskFromBulletItem)', () => {
  it('turn only that item into a task item, the bullets around it stay bullets', () => {
    const { state } = type(stateAt(doc(bullets(li('one'), li('@'), li('three')))), '[x] done');
    expect(state.doc.eq(doc(bullets(li('one')), tasks(ti(true, 'done')), bullets(li('three'))))).toBe(true);
    expect(caretParent(state)).toBe('done');
  });
});

describe('"[ ] " and "[x] " in an ordered list item', () => {
  it('the only item of an ordered list becomes a task item, unchecked or checked', () => {
    for (const [box, checked] of [['[ ] ', false], ['[x] ', true], ['[] ', false]] as const) {
      const { state } = type(stateAt(doc(p('Notes'), ordered(1, li('@')))), `${box}send it`);
      expect(state.doc.eq(doc(p('Notes'), tasks(ti(checked, 'send it')))), box).toBe(true);
      expect(caretParent(state)).toBe('send it');
    }
  });

  it('an item in the middle: the items after it keep their numbers, nested blocks move with it', () => {
    const start = doc(ordered(1, li('one'), li('@', bullets(li('sub'))), li('three'), li('four')));
    const { state } = type(stateAt(start), '[ ] ');
    expect(state.doc.eq(doc(ordered(1, li('one')), tasks(ti(false, '', bullets(li('sub')))), ordered(3, li('three'), li('four'))))).toBe(true);
    // A list that starts at 5: its third item was 7, the rest starts at 8.
    const from5 = type(stateAt(doc(ordered(5, li('a'), li('b'), li('@'), li('d')))), '[x] ').state;
    expect(from5.doc.eq(doc(ordered(5, li('a'), li('b')), tasks(ti(true, '')), ordered(8, li('d'))))).toBe(true);
  });

  it('joins a task list right before or after it', () => {
    const { state } = type(stateAt(doc(tasks(ti(false, 'before')), ordered(1, li('@')), tasks(ti(true, 'after')))), '[ ] mid');
    expect(state.doc.eq(doc(tasks(ti(false, 'before'), ti(false, 'mid'), ti(true, 'after'))))).toBe(true);
  });

  it('in an ordered list nested in a bullet item, only the nested item changes', () => {
    const { state } = type(stateAt(doc(bullets(li('top', ordered(1, li('x'), li('@')))))), '[x] y');
    expect(state.doc.eq(doc(bullets(li('top', ordered(1, li('x')), tasks(ti(true, 'y'))))))).toBe(true);
  });

  it('Ctrl+Z right after gives back the ordered item with the text as typed', () => {
    const start = stateAt(doc(ordered(1, li('one'), li('@'), li('three'))));
    const { state, lastRule } = type(start, '[ ] ');
    expect(lastRule).not.toBeNull();
    const undone = undoRule(state, lastRule!);
    expect(undone.doc.eq(doc(ordered(1, li('one'), li('[ ] '), li('three'))))).toBe(true);
  });

  it('not in a later paragraph of the item, nor after text', () => {
    const later = type(stateAt(doc(ordered(1, { type: 'listItem', content: [p('first'), p('@')] }))), '[ ] ').state;
    // A later paragraph of an item may be wrapped (Tiptap's own rule): the item itself stays in the ordered list.
    expect(later.doc.firstChild!.type.name).toBe('orderedList');
    expect(later.doc.firstChild!.firstChild!.type.name).toBe('listItem');
    const afterText = type(stateAt(doc(ordered(1, li('@')))), 'a [ ] ').state;
    expect(afterText.doc.eq(doc(ordered(1, li('a [ ] '))))).toBe(true);
  });
});

describe('"[ ] " and "[x] " at the start of a task item (tickTaskItem)', () => {
  it('"[x] " in an empty unchecked task item ticks it and leaves no text', () => {
    const { state } = type(stateAt(doc(tasks(ti(false, 'a'), ti(false, '@'), ti(false, 'c')))), '[x] ');
    expect(state.doc.eq(doc(tasks(ti(false, 'a'), ti(true, ''), ti(false, 'c'))))).toBe(true);
    expect(state.selection.$from.parent.type.name).toBe('paragraph');
    expect(state.selection.$from.node(-1).attrs.checked).toBe(true);
    const more = type(state, 'typed on').state;
    expect(more.doc.eq(doc(tasks(ti(false, 'a'), ti(true, 'typed on'), ti(false, 'c'))))).toBe(true);
  });

  it('"[ ] " in an empty task item is just removed: it stays (or becomes) unchecked', () => {
    const unchecked = type(stateAt(doc(tasks(ti(false, '@')))), '[ ] x').state;
    expect(unchecked.doc.eq(doc(tasks(ti(false, 'x'))))).toBe(true);
    const wasChecked = type(stateAt(doc(tasks(ti(true, '@')))), '[ ] x').state;
    expect(wasChecked.doc.eq(doc(tasks(ti(false, 'x'))))).toBe(true);
  });

  it('at the start of a task item with text, the box says what it is, the text stays', () => {
    const withText = stateAt(doc(tasks(ti(false, '@send it'))));
    const ticked = type(withText, '[x] ').state;
    expect(ticked.doc.eq(doc(tasks(ti(true, 'send it'))))).toBe(true);
  });

  it('a nested task item: only that one is ticked', () => {
    const { state } = type(stateAt(doc(tasks(ti(false, 'top', tasks(ti(false, '@')))))), '[x] ');
    expect(state.doc.eq(doc(tasks(ti(false, 'top', tasks(ti(true, ''))))))).toBe(true);
  });

  it('not after text, nor in a later paragraph of the item', () => {
    const afterText = type(stateAt(doc(tasks(ti(false, '@')))), 'a [x] ').state;
    expect(afterText.doc.eq(doc(tasks(ti(false, 'a [x] '))))).toBe(true);
    const later = type(stateAt(doc(tasks({ type: 'taskItem', attrs: { checked: false }, content: [p('first'), p('@')] }))), '[x] ').state;
    expect(later.doc.firstChild!.firstChild!.attrs.checked).toBe(false);
  });

  it('Ctrl+Z right after gives back the unchecked item with "[x] " as typed', () => {
    const { state, lastRule } = type(stateAt(doc(tasks(ti(false, 'a'), ti(false, '@')))), '[x] ');
    expect(lastRule).not.toBeNull();
    const undone = undoRule(state, lastRule!);
    expect(undone.doc.eq(doc(tasks(ti(false, 'a'), ti(false, '[x] '))))).toBe(true);
  });
});
