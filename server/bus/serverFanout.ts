import type { EventStreamMessage } from '../../shared/eventStream.js';
import type { Role } from '../../shared/roles.js';
import type { Logger } from '../logger.js';
import type { BroadcastBus, BusMessage } from './broadcastBus.js';

/** What this process does when something changes that every process's clients must hear about. */
export interface LocalEffects {
  eventChanged(eventId: string): void;
  notesWritten(eventId: string, sessionId: string, day: string): void;
  publish(eventId: string, msg: EventStreamMessage): void;
  revokeTokens(hashes: readonly string[]): void;
  /** A link was rotated: moderators' open pages on every process fetch the links again. */
  linksRotated(eventId: string, role: Role): void;
  setLocked(sessionId: string, locked: boolean): void;
  closeSession(sessionId: string): void;
}

/**
 * The same effects, run here and on every other process: event-stream
 * changes, rotated links, locks and deleted sessions. Each process refreshes
 * from the shared storage when told, so a lost message delays a schedule's
 * delta; it never loses data.
 */
export function linkServers(bus: BroadcastBus, local: LocalEffects, log: Logger): { effects: LocalEffects; listen(): Promise<void> } {
  const listen = async () => {
    await bus.subscribe('server', (msg: BusMessage) => {
      try {
        apply(local, msg);
      } catch (err) {
        log.error('applying a message from another process failed', { kind: msg.kind, error: err instanceof Error ? err.message : String(err) });
      }
    });
  };
  const effects: LocalEffects = {
    eventChanged(eventId) {
      local.eventChanged(eventId);
      bus.publish('server', { kind: 'eventChanged', eventId });
    },
    notesWritten(eventId, sessionId, day) {
      local.notesWritten(eventId, sessionId, day);
      bus.publish('server', { kind: 'notesWritten', eventId, sessionId, day });
    },
    publish(eventId, msg) {
      local.publish(eventId, msg);
      // The only message published straight to streams: a session's action items changed.
      if (msg.type === 'actionItems') bus.publish('server', { kind: 'actionItems', eventId, sessionId: msg.sessionId });
    },
    revokeTokens(hashes) {
      local.revokeTokens(hashes);
      bus.publish('server', { kind: 'revokeTokens', hashes: [...hashes] });
    },
    linksRotated(eventId, role) {
      local.linksRotated(eventId, role);
      bus.publish('server', { kind: 'linksRotated', eventId, role });
    },
    setLocked(sessionId, locked) {
      local.setLocked(sessionId, locked);
      bus.publish('server', { kind: 'sessionLocked', sessionId, locked });
    },
    closeSession(sessionId) {
      local.closeSession(sessionId);
      bus.publish('server', { kind: 'sessionClosed', sessionId });
    },
  };
  return { effects, listen };
}

function apply(local: LocalEffects, msg: BusMessage): void {
  switch (msg.kind) {
    case 'eventChanged':
      return local.eventChanged(msg.eventId);
    case 'notesWritten':
      return local.notesWritten(msg.eventId, msg.sessionId, msg.day);
    case 'actionItems':
      return local.publish(msg.eventId, { type: 'actionItems', sessionId: msg.sessionId });
    case 'revokeTokens':
      return local.revokeTokens(msg.hashes);
    case 'linksRotated':
      return local.linksRotated(msg.eventId, msg.role);
    case 'sessionLocked':
      return local.setLocked(msg.sessionId, msg.locked);
    case 'sessionClosed':
      return local.closeSession(msg.sessionId);
    default:
      return;
  }
}
