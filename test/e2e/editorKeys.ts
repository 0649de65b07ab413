import type { Page } from 'playwright-core';
import { poll } from './harness.js';

/** The notes editor's editable surface on a session or projector page. */
export const editorOf = (page: Page) => page.locator('[data-testid="editor"] .ProseMirror');

/** True when the browser's caret is at the very end of the block (of the notes) that contains `text`, or of the last block. */
export function caretAtEndOf(page: Page, text: string | null): Promise<boolean> {
  return page.evaluate((needle) => {
    const pm = document.querySelector('[data-testid="editor"] .ProseMirror');
    const sel = document.getSelection();
    if (!pm || !sel?.anchorNode || !sel.isCollapsed) return false;
    const blocks = [...pm.querySelectorAll('p, h2, h3')];
    const block = needle === null ? blocks.at(-1) : blocks.find((b) => b.textContent?.includes(needle));
    if (!block?.contains(sel.anchorNode)) return false;
    const rest = document.createRange();
    rest.setStart(sel.anchorNode, sel.anchorOffset);
    rest.setEnd(block, block.childNodes.length);
    // Widgets (other people's named carets, action-item chips) show text that is not part of the notes.
    const after = rest.cloneContents();
    for (const widget of after.querySelectorAll('.ProseMirror-widget, [contenteditable="false"], .collaboration-carets__caret')) widget.remove();
    return (after.textContent ?? '') === '';
  }, text);
}

/**
 * Puts the caret at the end of a block with the keyboard, and waits until it
 * has stayed there for two polls: ProseMirror reads a native caret move
 * asynchronously, and a keystroke sent before that lands at the old place.
 */
export async function caretToEnd(page: Page, key: 'End' | 'Control+End', text: string | null): Promise<void> {
  let streak = 0;
  await poll(async () => {
    if (await caretAtEndOf(page, text)) return ++streak >= 2;
    streak = 0;
    await page.keyboard.press(key);
    return false;
  }, 10_000, `caret at the end of ${text ?? 'the notes'}`);
}

/** Types `text` as a new line at the end of the notes, the way a note-taker does (click, Ctrl+End, Enter, keys). */
export async function typeAtEnd(page: Page, text: string, opts: { delay?: number; insert?: boolean } = {}): Promise<void> {
  await editorOf(page).click();
  await caretToEnd(page, 'Control+End', null);
  await page.keyboard.press('Enter');
  if (opts.insert) await page.keyboard.insertText(text);
  else await page.keyboard.type(text, { delay: opts.delay ?? 20 });
}
