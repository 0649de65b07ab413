import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as Y from 'yjs';
import { NOTES_FRAGMENT } from '../../shared/protocol.js';
import type { CreateEventResponse, SessionDto } from '../../shared/schemas.js';
import type { ActionItemTagger } from '../actionItems/tagger.js';
import type { CommitQueue } from '../collab/commitQueue.js';
import { SERVER_ORIGIN } from '../collab/room.js';
import type { RoomRegistry } from '../collab/roomRegistry.js';
import type { EventService } from '../events/eventService.js';
import { encodeNotesSeed } from '../notesSeed.js';
import { importSchedule } from '../schedule/scheduleImport.js';
import type { SessionStore } from '../storage/ports.js';
import { notesFromText } from '../notesImport/fromText.js';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface DemoDeps {
  events: EventService;
  sessions: Pick<SessionStore, 'listByEvent'>;
  registry: RoomRegistry;
  commitQueue: CommitQueue;
  tagger: ActionItemTagger;
}

/** Sample pads typed during two sessions, and what the moderators set on those sessions. */
const SAMPLE_NOTES = [
  { title: 'NFV/Telco Working Group', file: 'notes-nfv-telco.txt', state: 'ended' as const, nowDiscussing: null },
  { title: 'Japan Ops Workshop Report / 国内OpsWorkshop報告', file: 'notes-jp-ops-workshop.txt', state: 'live' as const, nowDiscussing: '本家OpsMeetupへの参加促進' },
];

export const DEMO_LINKS_FILE = 'demo-links.txt';

/**
 * The sample event created on first start: the OpenStack Ops Meetup schedule
 * (26 sessions, 2 days, 4 rooms), every session with the template applied,
 * and two sessions with the notes people typed, so the action board, the
 * minutes and the grid have something real to show. The three links are
 * also written to DATA_DIR/demo-links.txt (mode 0600: it holds the
 * moderator link).
 */
export async function createDemoEvent(deps: DemoDeps, opts: { origin: string; dataDir: string }): Promise<CreateEventResponse> {
  const schedule = fs.readFileSync(path.join(here, 'ops-meetup-austin-2016.json'));
  const meta = JSON.parse(schedule.toString('utf8')) as { title: string; slug: string; timezone: string };
  const created = await deps.events.createEvent({ title: meta.title, slug: meta.slug, timezone: meta.timezone }, opts.origin);
  const imported = (await importSchedule(deps, created.event.id, new Uint8Array(schedule), 'application/json', { dryRun: false })).created as SessionDto[];
  for (const sample of SAMPLE_NOTES) {
    const session = imported.find((s) => s.title === sample.title);
    if (!session) continue;
    await writeNotes(deps, session.id, fs.readFileSync(path.join(here, sample.file), 'utf8'));
    await deps.events.patchSession(session.id, { state: sample.state, nowDiscussing: sample.nowDiscussing });
  }
  fs.writeFileSync(path.join(opts.dataDir, DEMO_LINKS_FILE), demoLinksText(created), { mode: 0o600 });
  return created;
}

export function demoLinksText(created: CreateEventResponse): string {
  return [
    `Roundtable demo event: ${created.event.title}`,
    `moderate (organisers, keep secret): ${created.links.moderate}`,
    `edit (note-takers):                 ${created.links.edit}`,
    `view (projectors, readers):         ${created.links.view}`,
    '',
  ].join('\n');
}

/** Replaces a session's seeded template with sample notes through the live room, so storage and the action-item index see a normal edit. */
async function writeNotes(deps: DemoDeps, sessionId: string, text: string): Promise<void> {
  const room = await deps.registry.acquire(sessionId);
  try {
    const seed = new Y.Doc();
    Y.applyUpdate(seed, encodeNotesSeed(notesFromText(text, { dropTitleLine: true })));
    const fragment = room.doc.getXmlFragment(NOTES_FRAGMENT);
    room.doc.transact(() => {
      fragment.delete(0, fragment.length);
      // Copies, written by the room's own client id: applying the seed's update kept the seed's id, which history
      // knows nobody by, so the text showed as "unknown (before history)" in a version it lists as Roundtable's.
      fragment.insert(0, seed.getXmlFragment(NOTES_FRAGMENT).toArray().map((n) => n.clone() as Y.XmlElement | Y.XmlText));
    }, SERVER_ORIGIN);
    seed.destroy();
    await deps.tagger.flush(room);
    await deps.commitQueue.whenIdle();
  } finally {
    deps.registry.release(room);
  }
}
