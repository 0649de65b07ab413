import { getSchema } from '@tiptap/core';
import { DOMSerializer, Node as PMNode, type Schema } from '@tiptap/pm/model';
import { useEffect, useMemo, useRef } from 'react';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { historySchema } from '../../shared/history/historySchema.js';
import { useI18n } from '../i18n/i18n.js';

let schemaOnce: Schema | null = null;
/** The history schema over the editor's own extensions: a version renders exactly as the editor showed it. */
function schema(): Schema {
  return (schemaOnce ??= historySchema(getSchema(createSchemaExtensions())));
}

export interface VersionViewProps {
  doc: unknown;
  showAuthors: boolean;
  selectedBlock: string | null;
  onSelectBlock(blockId: string | null): void;
  label: string;
}

/**
 * One version of the notes, read-only, rendered with the notes schema plus
 * history's marks (who wrote a run, what a diff inserted or deleted). Every
 * text block can be picked (click, or Tab then Enter) for a block restore.
 */
export function VersionView({ doc, showAuthors, selectedBlock, onSelectBlock, label }: VersionViewProps) {
  const { t } = useI18n();
  const box = useRef<HTMLDivElement>(null);
  const fragment = useMemo(() => {
    try {
      const node = PMNode.fromJSON(schema(), doc as Parameters<typeof PMNode.fromJSON>[1]);
      return DOMSerializer.fromSchema(schema()).serializeFragment(node.content);
    } catch {
      return null;
    }
  }, [doc]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    el.replaceChildren();
    if (!fragment) return;
    el.append(fragment.cloneNode(true));
    // Task checkboxes show a past state: nothing here changes the notes.
    for (const input of el.querySelectorAll('input')) {
      input.disabled = true;
      input.setAttribute('aria-label', input.checked ? t('history.taskDone') : t('history.taskOpen'));
    }
    for (const b of el.querySelectorAll<HTMLElement>('[data-block-id]')) {
      // An empty block has nothing to restore.
      if (!b.textContent?.trim()) continue;
      b.tabIndex = 0;
      b.setAttribute('role', 'button');
      b.setAttribute('aria-pressed', 'false');
    }
  }, [fragment, t]);

  useEffect(() => {
    for (const b of box.current?.querySelectorAll<HTMLElement>('[data-block-id][role="button"]') ?? []) {
      const on = b.dataset.blockId === selectedBlock;
      b.classList.toggle('is-selected', on);
      b.setAttribute('aria-pressed', String(on));
    }
  }, [selectedBlock, fragment]);

  const pick = (target: EventTarget | null) => {
    const block = target instanceof Element ? target.closest<HTMLElement>('[data-block-id][role="button"]') : null;
    if (!block) return;
    onSelectBlock(block.dataset.blockId === selectedBlock ? null : (block.dataset.blockId ?? null));
  };

  return (
    <div
      ref={box}
      className={`version-view notes-prose ProseMirror${showAuthors ? ' show-authors' : ''}`}
      data-testid="version-view"
      aria-label={label}
      onClick={(e) => pick(e.target)}
      onKeyDown={(e) => {
        if (e.key !== 'Enter' && e.key !== ' ') return;
        if (!(e.target instanceof HTMLElement) || !e.target.dataset.blockId) return;
        e.preventDefault();
        pick(e.target);
      }}
    />
  );
}
