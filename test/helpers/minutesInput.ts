import type { Schema } from '@tiptap/pm/model';
import { prosemirrorJSONToYXmlFragment } from '@tiptap/y-tiptap';
import * as Y from 'yjs';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { MinutesEventInput, MinutesSessionInput } from '../../server/minutes/renderJob.js';

/** A fixture session as the render pool receives it: the notes as the Yjs state the editor would have written. */
export function sessionInput(m: MinutesSession, schema: Schema): MinutesSessionInput {
  const doc = new Y.Doc();
  prosemirrorJSONToYXmlFragment(schema, m.notes, doc.getXmlFragment(NOTES_FRAGMENT));
  const { notes: _notes, ...rest } = m;
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return { ...rest, notesState: [state] };
}

export function eventInput(e: MinutesEvent, schema: Schema): MinutesEventInput {
  return { ...e, sessions: e.sessions.map((s) => sessionInput(s, schema)) };
}
