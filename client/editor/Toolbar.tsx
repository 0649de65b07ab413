import type { Editor } from '@tiptap/react';
import type { ReactNode } from 'react';
import { useEditorState } from '@tiptap/react';
import { isSafeUrl } from '../../shared/editor/safeUrl.js';
import { useI18n } from '../i18n/i18n.js';

// Drawn, not an emoji: machines without an emoji font showed an empty box.
const LINK_ICON = (
  <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
    <path d="M10 13.5a4.5 4.5 0 0 0 6.4 0l3-3a4.5 4.5 0 0 0-6.4-6.4l-1.2 1.2" />
    <path d="M14 10.5a4.5 4.5 0 0 0-6.4 0l-3 3a4.5 4.5 0 0 0 6.4 6.4l1.2-1.2" />
  </svg>
);

/** Speech users say what they see ("H2"): a button's name must contain its visible text (WCAG 2.5.3), first. */
function nameWithVisibleText(text: ReactNode, label: string): string {
  return typeof text === 'string' && text.length > 1 ? `${text} ${label}` : label;
}

/** Formatting buttons; `children` sit at the far end (the typing indicator). */
export function Toolbar({ editor, children }: { editor: Editor; children?: ReactNode }) {
  const { t } = useI18n();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) => ({
      bold: e.isActive('bold'),
      italic: e.isActive('italic'),
      h2: e.isActive('heading', { level: 2 }),
      h3: e.isActive('heading', { level: 3 }),
      bullets: e.isActive('bulletList'),
      numbers: e.isActive('orderedList'),
      tasks: e.isActive('taskList'),
      link: e.isActive('link'),
    }),
  });
  const chain = () => editor.chain().focus();
  const setLink = () => {
    const prev = (editor.getAttributes('link').href as string | undefined) ?? 'https://';
    const href = window.prompt(t('session.toolbar.linkPrompt'), prev);
    if (href === null) return;
    if (href.trim() === '') return void chain().unsetLink().run();
    if (!isSafeUrl(href)) return void window.alert(t('session.toolbar.linkInvalid'));
    chain().extendMarkRange('link').setLink({ href: href.trim() }).run();
  };
  const buttons: { key: keyof typeof active; label: string; text: ReactNode; run: () => void }[] = [
    { key: 'bold', label: t('session.toolbar.bold'), text: 'B', run: () => chain().toggleBold().run() },
    { key: 'italic', label: t('session.toolbar.italic'), text: 'I', run: () => chain().toggleItalic().run() },
    { key: 'h2', label: t('session.toolbar.h2'), text: 'H2', run: () => chain().toggleHeading({ level: 2 }).run() },
    { key: 'h3', label: t('session.toolbar.h3'), text: 'H3', run: () => chain().toggleHeading({ level: 3 }).run() },
    { key: 'bullets', label: t('session.toolbar.bullets'), text: '•', run: () => chain().toggleBulletList().run() },
    { key: 'numbers', label: t('session.toolbar.numbers'), text: '1.', run: () => chain().toggleOrderedList().run() },
    { key: 'tasks', label: t('session.toolbar.tasks'), text: '☑', run: () => chain().toggleTaskList().run() },
    { key: 'link', label: t('session.toolbar.link'), text: LINK_ICON, run: setLink },
  ];
  return (
    <div className="toolbar" role="toolbar" aria-label={t('session.toolbar.label')}>
      {buttons.map((b) => (
        <button key={b.key} type="button" className={`tool tool-${b.key}${active[b.key] ? ' is-active' : ''}`} aria-pressed={active[b.key]} title={b.label} aria-label={nameWithVisibleText(b.text, b.label)} onMouseDown={(e) => e.preventDefault()} onClick={b.run}>
          {b.text}
        </button>
      ))}
      {children}
    </div>
  );
}
