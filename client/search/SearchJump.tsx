import type { Editor } from '@tiptap/react';
import { useEffect, useRef, useState } from 'react';
import type * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CollabSession } from '../collab/collabSession.js';
import { useI18n } from '../i18n/i18n.js';
import { locateBlock, pmPosOf } from './blockLocator.js';
import { targetFromQuery } from './searchTarget.js';

/** How long the block stays highlighted after the jump. */
const HIGHLIGHT_MS = 2500;
/**
 * For this long after the jump the block is brought back into view if
 * something else scrolled it away (the projector's follow scroll that was
 * already under way), unless the person scrolls or types themselves.
 */
const KEEP_IN_VIEW_MS = 1200;
/** After the server's notes arrived, how long a missing block may take to show up before we say it is gone. */
const GRACE_MS = 1500;

/**
 * Marks a block for a moment with a box drawn over it, outside the editor's
 * DOM (ProseMirror owns its DOM and redraws what others change there). The
 * box follows the block through other people's edits and scrolling: its
 * place is recomputed from the Yjs element every frame.
 */
function highlight(editor: Editor, el: Y.XmlElement): () => void {
  const box = document.createElement('div');
  box.className = 'search-target';
  box.dataset.testid = 'search-target';
  box.setAttribute('aria-hidden', 'true');
  document.body.append(box);
  let frame = 0;
  const started = performance.now();
  let byHand = false;
  const handsOn = () => {
    byHand = true;
  };
  const hands = ['wheel', 'touchmove', 'keydown', 'pointerdown'] as const;
  for (const h of hands) window.addEventListener(h, handsOn, { capture: true, passive: true });
  const place = () => {
    const pos = editor.isDestroyed ? null : pmPosOf(el, editor.state.doc);
    const dom = pos === null ? null : editor.view.nodeDOM(pos);
    if (dom instanceof HTMLElement) {
      let r = dom.getBoundingClientRect();
      if (!byHand && performance.now() - started < KEEP_IN_VIEW_MS && (r.bottom < 0 || r.top > window.innerHeight)) {
        dom.scrollIntoView({ block: 'center' });
        r = dom.getBoundingClientRect();
      }
      Object.assign(box.style, { top: `${r.top + window.scrollY - 3}px`, left: `${r.left + window.scrollX - 6}px`, width: `${r.width + 12}px`, height: `${r.height + 6}px`, display: '' });
      box.dataset.text = dom.textContent ?? '';
    } else {
      box.style.display = 'none';
    }
    if (performance.now() - started < HIGHLIGHT_MS) frame = requestAnimationFrame(place);
    else stop();
  };
  const stop = () => {
    cancelAnimationFrame(frame);
    box.remove();
    for (const h of hands) window.removeEventListener(h, handsOn, { capture: true });
  };
  place();
  return stop;
}

/**
 * Opens a session at the block a search result points to (`?b=&a=&m=` in the
 * URL): scrolls it into view and highlights it briefly, once the notes are
 * here; says so when the block is no longer in the notes. Renders nothing
 * otherwise.
 */
export function SearchJump({ editor, collab, onJump }: { editor: Editor | null; collab: CollabSession | null; onJump?: () => void }) {
  const { t } = useI18n();
  const [target, setTarget] = useState(() => targetFromQuery(window.location.search));
  const [state, setState] = useState<'pending' | 'done' | 'gone'>(target ? 'pending' : 'done');
  // A result in the session already open (the projector's search) navigates without a new page.
  useEffect(() => {
    const onNavigate = () => {
      const next = targetFromQuery(window.location.search);
      if (!next) return;
      setTarget(next);
      setState('pending');
    };
    window.addEventListener('popstate', onNavigate);
    return () => window.removeEventListener('popstate', onNavigate);
  }, []);
  // The highlight outlives this effect's runs (it ends by itself) but not the page.
  const unhighlight = useRef<(() => void) | null>(null);
  useEffect(() => () => unhighlight.current?.(), []);
  const onJumpRef = useRef(onJump);
  onJumpRef.current = onJump;

  useEffect(() => {
    if (!target || !editor || !collab || state !== 'pending') return;
    const fragment = collab.doc.getXmlFragment(NOTES_FRAGMENT);
    let timer: ReturnType<typeof setTimeout> | null = null;
    const attempt = (): boolean => {
      const el = locateBlock(collab.doc, fragment, target);
      const pos = el ? pmPosOf(el, editor.state.doc) : null;
      const dom = pos === null ? null : editor.view.nodeDOM(pos);
      if (!el || !(dom instanceof HTMLElement)) return false;
      onJumpRef.current?.();
      dom.scrollIntoView({ block: 'center' });
      unhighlight.current = highlight(editor, el);
      // The address bar keeps the session's own URL (and the token fragment).
      window.history.replaceState(null, '', window.location.pathname + window.location.hash);
      setState('done');
      return true;
    };
    if (attempt()) return;
    // The block may still be on its way from the server.
    const onTransaction = () => {
      if (attempt()) editor.off('transaction', onTransaction);
    };
    editor.on('transaction', onTransaction);
    const giveUp = () => {
      timer = setTimeout(() => {
        editor.off('transaction', onTransaction);
        if (!attempt()) setState('gone');
      }, GRACE_MS);
    };
    const onSync = (synced: boolean) => synced && giveUp();
    if (collab.provider.synced) giveUp();
    else collab.provider.on('sync', onSync);
    return () => {
      editor.off('transaction', onTransaction);
      collab.provider.off('sync', onSync);
      if (timer) clearTimeout(timer);
    };
  }, [editor, collab, target, state]);

  if (state !== 'gone') return null;
  return (
    <p className="search-gone" role="status" data-testid="search-gone">
      {t('search.gone')}
    </p>
  );
}
