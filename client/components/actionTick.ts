import type { ActionItemDto, ActionItemStatus } from '../../shared/schemas.js';

/** How many of the items are still open: the count the side panel's badge and the projector show. */
export function openCount(items: readonly Pick<ActionItemDto, 'status'>[]): number {
  return items.filter((i) => i.status === 'open').length;
}

/** The list as it looks at once after a tick (before the server has answered). */
export function applyTick<T extends Pick<ActionItemDto, 'id' | 'status'>>(items: T[], id: string, status: ActionItemStatus): T[] {
  return items.map((i) => (i.id === id ? { ...i, status } : i));
}

/**
 * Takes back a tick the server did not store. Only an item that still shows
 * the refused status is turned back: a refetch that already brought the
 * server's state (or a newer tick) wins.
 */
export function undoTick<T extends Pick<ActionItemDto, 'id' | 'status'>>(items: T[], id: string, refused: ActionItemStatus): T[] {
  const before: ActionItemStatus = refused === 'done' ? 'open' : 'done';
  return items.map((i) => (i.id === id && i.status === refused ? { ...i, status: before } : i));
}
