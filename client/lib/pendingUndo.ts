/**
 * A deletion that can still be undone, handed from the page where it
 * happened (a session page, which then goes away) to the schedule, which
 * shows the Undo toast. Kept in this tab's sessionStorage only.
 */
export interface DeletedSession {
  id: string;
  title: string;
}

const key = (eventRef: string) => `roundtable:deleted:${eventRef}`;

export function rememberDeleted(eventRef: string, session: DeletedSession): void {
  sessionStorage.setItem(key(eventRef), JSON.stringify({ id: session.id, title: session.title }));
}

export function takeDeleted(eventRef: string): DeletedSession | null {
  const raw = sessionStorage.getItem(key(eventRef));
  sessionStorage.removeItem(key(eventRef));
  try {
    const v = JSON.parse(raw ?? 'null') as DeletedSession | null;
    return v && typeof v.id === 'string' && typeof v.title === 'string' ? v : null;
  } catch {
    return null;
  }
}
