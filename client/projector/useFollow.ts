import type { Editor } from '@tiptap/react';
import { useCallback, useEffect, useRef, type RefObject } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { lastChangedPos } from './changedRange.js';
import { decideFollow, OPENING_LAND_AT } from './followScroll.js';
import { caretPosition } from './userCursor.js';

/** What the projector keeps in sight: the latest edit by anyone, or one note-taker's caret. */
export type FollowTarget = { kind: 'latest' } | { kind: 'user'; clientId: number };

function coordsOf(editor: Editor, pos: number): { top: number; bottom: number } | null {
  try {
    return editor.view.coordsAtPos(Math.min(pos, editor.state.doc.content.size));
  } catch {
    return null;
  }
}

/** Changes arriving within this many ms are looked at once (a burst of keystrokes is one move). */
const SETTLE_MS = 60;

interface Options {
  editor: Editor | null;
  scroller: RefObject<HTMLElement | null>;
  awareness: Awareness | null;
  following: boolean;
  target: FollowTarget;
}

/**
 * Keeps the followed place in view by gliding the notes area. Remote edits
 * reach ProseMirror as whole-document replacements, so the latest edit is
 * found by comparing documents; a note-taker's caret comes from presence.
 * Returns `jump()`, which moves at once (after resuming or picking someone).
 */
export function useFollow({ editor, scroller, awareness, following, target }: Options): { jump(): void } {
  const lastEdit = useRef<number | null>(null);
  /** The last change was the notes arriving (the document was empty before it), not someone writing. */
  const opening = useRef(false);
  /** The last edit that was on screen when it happened: the place the room is reading. */
  const onScreenEdit = useRef<{ pos: number; at: number } | null>(null);
  const lastMoveAt = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const live = useRef({ following, target });
  live.current = { following, target };

  const check = useCallback(() => {
    timer.current = null;
    const box = scroller.current;
    const { following: on, target: t } = live.current;
    if (!editor || editor.isDestroyed || !box || !on) return;
    const pos = t.kind === 'user' ? (awareness ? caretPosition(editor, awareness, t.clientId) : null) : lastEdit.current;
    if (pos === null) return;
    const coords = coordsOf(editor, pos);
    if (!coords) return;
    const rect = box.getBoundingClientRect();
    const content = editor.view.dom.getBoundingClientRect();
    const now = Date.now();
    const anchor = t.kind === 'latest' && onScreenEdit.current ? { at: onScreenEdit.current.at, coords: coordsOf(editor, onScreenEdit.current.pos) } : null;
    const decision = decideFollow({
      targetTop: coords.top,
      targetBottom: coords.bottom,
      viewTop: rect.top,
      viewHeight: rect.height,
      contentTop: content.top,
      contentBottom: content.bottom,
      sinceLastMove: now - lastMoveAt.current,
      sinceOnScreenEdit: anchor ? now - anchor.at : Infinity,
      distanceFromOnScreenEdit: anchor?.coords ? Math.abs(coords.top - anchor.coords.top) : Infinity,
      landAt: t.kind === 'latest' && opening.current ? OPENING_LAND_AT : undefined,
    });
    if (decision.kind === 'stay' && t.kind === 'latest') onScreenEdit.current = { pos, at: now };
    if (decision.kind === 'scroll') {
      opening.current = false;
      lastMoveAt.current = Date.now();
      box.scrollBy({ top: decision.by, behavior: 'smooth' });
    } else if (decision.kind === 'wait') {
      timer.current = setTimeout(check, decision.ms);
    }
  }, [editor, scroller, awareness]);

  const schedule = useCallback(() => {
    if (timer.current === null) timer.current = setTimeout(check, SETTLE_MS);
  }, [check]);

  useEffect(() => {
    if (!editor) return;
    const onTransaction = ({ transaction }: { transaction: { docChanged: boolean; before: Editor['state']['doc']; doc: Editor['state']['doc'] } }) => {
      if (transaction.docChanged) {
        const pos = lastChangedPos(transaction.before, transaction.doc);
        if (pos === null) return;
        lastEdit.current = pos;
        // An empty editor holds one empty paragraph (size 2): checked without reading the text, as this runs per remote update.
        opening.current = transaction.before.content.size <= 2;
        // Remember edits made where the room is looking, even when a later one elsewhere lands in the same burst.
        const box = scroller.current;
        const c = box ? coordsOf(editor, pos) : null;
        if (box && c) {
          const r = box.getBoundingClientRect();
          if (c.top >= r.top && c.bottom <= r.bottom) onScreenEdit.current = { pos, at: Date.now() };
        }
      } else if (live.current.target.kind !== 'user') {
        return;
      }
      schedule();
    };
    editor.on('transaction', onTransaction);
    return () => {
      editor.off('transaction', onTransaction);
    };
  }, [editor, schedule, scroller]);

  useEffect(() => {
    if (!awareness) return;
    // A caret that moves without typing (clicking elsewhere) is followed too.
    const onChange = () => {
      if (live.current.target.kind === 'user') schedule();
    };
    awareness.on('change', onChange);
    return () => awareness.off('change', onChange);
  }, [awareness, schedule]);

  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
    },
    [],
  );

  const jump = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    lastMoveAt.current = 0;
    onScreenEdit.current = null;
    // After React has applied the new following state.
    timer.current = setTimeout(check, 0);
  }, [check]);

  const targetKey = target.kind === 'user' ? target.clientId : 'latest';
  useEffect(() => {
    // Resuming, or picking someone to follow, moves at once rather than at the next keystroke.
    if (following) jump();
  }, [following, targetKey, jump]);

  return { jump };
}
