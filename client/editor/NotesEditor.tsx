import Collaboration from '@tiptap/extension-collaboration';
import CollaborationCaret from '@tiptap/extension-collaboration-caret';
import { Placeholder } from '@tiptap/extensions';
import { EditorContent, useEditor, type Editor } from '@tiptap/react';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { createSchemaExtensions } from '../../shared/editor/extensions.js';
import { LIMITS } from '../../shared/limits.js';
import type { CollabSession } from '../collab/collabSession.js';
import { useI18n } from '../i18n/i18n.js';
import { AuthorTint } from './authorTint.js';
import { ActionChips } from './actionChips.js';
import { ReadOnlyGuard } from './readOnlyGuard.js';
import { SizeGuard, type TooLarge } from './sizeGuard.js';
import { MarkdownPaste } from './markdownPaste.js';
import { Toolbar } from './Toolbar.js';
import { setEditableKeepingFocus } from './keepFocusAcrossReadOnly.js';
import { KeepUnchangedNodes } from './keepUnchangedNodes.js';
import { RemoteCaret } from './remoteCaret.js';
import { rescueInEditor } from './typingRescue.js';
import { UndoCapture } from './undoCapture.js';
import { UndoInputRule } from './undoInputRule.js';

/** How long the note about a refused paste stays. */
const REFUSED_SHOWN_MS = 12_000;

interface Props {
  session: CollabSession;
  user: { name: string; color: string };
  editable: boolean;
  onEditor?: (editor: Editor | null) => void;
  showToolbar?: boolean;
  className?: string;
  /** The session's local date (YYYY-MM-DD): action-item chips resolve year-less due dates against it. */
  sessionDate?: string | null;
  /** The session's moderators: with the note-takers present, names that can own an item (SPEC AI-O7). */
  knownNames?: readonly string[];
  /** Ticks an action line from the notes; absent on screens that only show them (the projector). */
  onToggleAction?: (id: string, status: 'open' | 'done') => void;
  /** Show the bar that says why the notes cannot be edited (default: whenever they cannot). */
  showReadOnlyBar?: boolean;
}

/**
 * The notes editor. It is created once per CollabSession; editability and
 * the user's name change in place, so IME composition is never interrupted
 * by a re-created editor.
 */
export function NotesEditor({ session, user, editable, onEditor, showToolbar = true, className, sessionDate = null, knownNames = [], onToggleAction, showReadOnlyBar }: Props) {
  const { t } = useI18n();
  // Everything below is read through refs: the editor is created once per session and must not be rebuilt
  // when the date, the language, the names or editability change (that would break an IME composition).
  const live = useRef({ sessionDate, t, knownNames, editable, onToggleAction, users: [] as string[] });
  const users = useSyncExternalStore(session.subscribe, session.getSnapshot).users;
  live.current = { sessionDate, t, knownNames, editable, onToggleAction, users: users.filter((u) => u.role !== 'view').map((u) => u.name) };
  // A paste the server would refuse was not made: say so next to the notes for a while (sizeGuard.ts).
  const [refused, setRefused] = useState<{ why: TooLarge; at: number } | null>(null);
  useEffect(() => {
    if (!refused) return;
    const timer = setTimeout(() => setRefused(null), REFUSED_SHOWN_MS);
    return () => clearTimeout(timer);
  }, [refused]);
  const editor = useEditor(
    {
      extensions: [
        ReadOnlyGuard({ canWrite: () => live.current.editable }),
        SizeGuard({ onRefused: (why) => setRefused({ why, at: Date.now() }) }),
        ...createSchemaExtensions(),
        Collaboration.configure({ document: session.doc, field: 'default' }),
        // The caret extension replaces the whole presence `user` field: keep the role in it, or readers list themselves as note-takers.
        CollaborationCaret.configure({ provider: session.provider, user: { ...user, role: session.role } }),
        Placeholder.configure({ placeholder: () => live.current.t('session.placeholder') }),
        ActionChips({
          dueLabel: (date) => live.current.t('session.actions.due', { date }),
          sessionDate: () => live.current.sessionDate,
          knownNames: () => [...live.current.knownNames, ...live.current.users],
          toggle: onToggleAction
            ? {
                onToggle: (id, status) => live.current.onToggleAction?.(id, status),
                canToggle: () => live.current.editable,
                label: (status) => live.current.t(status === 'done' ? 'session.actions.markOpen' : 'session.actions.markDone'),
              }
            : undefined,
        }),
        MarkdownPaste,
        AuthorTint,
        UndoCapture,
        UndoInputRule,
        RemoteCaret,
        KeepUnchangedNodes,
      ],
      editable,
      shouldRerenderOnTransaction: false,
      editorProps: {
        // A function, so the label follows the UI language and editability without rebuilding the editor.
        attributes: () => ({
          spellcheck: 'true',
          role: 'textbox',
          'aria-multiline': 'true',
          'aria-readonly': String(!live.current.editable),
          'aria-label': live.current.t('session.editor.label'),
          class: 'notes-prose',
        }),
      },
      onUpdate: ({ transaction }) => {
        if (!transaction.getMeta('y-sync$')) session.noteTyping();
      },
    },
    [session],
  );

  // Locked and unlocked again: the caret comes back if the editor had it (keepFocusAcrossReadOnly.ts).
  const hadFocus = useRef(false);
  useEffect(() => {
    if (editor && editor.isEditable !== editable) setEditableKeepingFocus(editor, editable, hadFocus);
  }, [editor, editable]);

  // A new language: let the view re-read its attributes (the label) and placeholder.
  useEffect(() => {
    if (editor && !editor.isDestroyed) editor.view.dispatch(editor.state.tr.setMeta('addToHistory', false));
  }, [editor, t]);

  useEffect(() => {
    if (editor) editor.commands.updateUser({ ...user, role: session.role });
  }, [editor, user.name, user.color]);

  useEffect(() => {
    if (!editor) return;
    session.setTypingRescuer((rescues) => rescueInEditor(editor, rescues));
    return () => session.setTypingRescuer(null);
  }, [editor, session]);

  useEffect(() => {
    onEditor?.(editor);
    return () => onEditor?.(null);
  }, [editor, onEditor]);

  // The projector passes showToolbar={false}: it shows no chrome at all.
  const chrome = showToolbar && editor !== null;
  return (
    <div className={`editor ${className ?? ''}`} data-testid="editor">
      {chrome && editable ? (
        <Toolbar editor={editor}>
          <TypingLine session={session} />
        </Toolbar>
      ) : null}
      {chrome && !editable && (showReadOnlyBar ?? true) ? <ReadOnlyBar session={session} /> : null}
      {refused ? (
        <p className="notice editor-refused" role="alert" data-testid="editor-too-large" key={refused.at}>
          {t(refused.why === 'line' ? 'session.editor.lineTooLong' : 'session.editor.pasteTooLarge', { max: LIMITS.maxTextPerNode.toLocaleString(), mb: Math.floor((LIMITS.maxUpdateBytes * 0.75) / 1024 / 1024) })}
        </p>
      ) : null}
      <EditorContent editor={editor} />
    </div>
  );
}

function useSnapshot(session: CollabSession) {
  return useSyncExternalStore(session.subscribe, session.getSnapshot);
}

/** Who else is typing right now (from presence), next to the named carets. */
function TypingLine({ session }: { session: CollabSession }) {
  const { t } = useI18n();
  const names = useSnapshot(session)
    .users.filter((u) => u.typing && !u.isSelf && u.role !== 'view')
    .map((u) => u.name);
  const text = names.length === 0 ? '' : names.length === 1 ? t('session.typingOne', { name: names[0]! }) : t('session.typingMany', { names: names.join(', ') });
  return (
    <span className="editor-typing" data-testid="typing-indicator" aria-live="polite">
      {text}
    </span>
  );
}

/** Says why the notes can't be edited: a moderator's lock, or a read-only link. */
function ReadOnlyBar({ session }: { session: CollabSession }) {
  const { t } = useI18n();
  const locked = useSnapshot(session).status === 'locked';
  return (
    <div className={`editor-readonly${locked ? ' is-locked' : ''}`} data-testid="editor-readonly" data-locked={locked}>
      <span role="status">{locked ? t('session.lockedBanner') : t('session.readonlyBanner')}</span>
      <TypingLine session={session} />
    </div>
  );
}
