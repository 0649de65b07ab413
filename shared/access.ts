import type { Role } from './roles.js';

/**
 * Who may change a session's notes: moderators always, note-takers unless a
 * moderator locked the notes, readers never. The one rule the server (every
 * write path: the WebSocket, ticking an item, importing notes), the editor
 * and the projector all ask.
 */
export function canWriteNotes(role: Role, session: { readonly locked: boolean }): boolean {
  if (role === 'moderate') return true;
  return role === 'edit' && !session.locked;
}
