import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CreateEventResponse } from '../../shared/schemas.js';
import type { EventService } from '../domain/eventService.js';
import type { SessionRepo } from '../storage/sessionRepo.js';
import { importSchedule } from '../schedule/scheduleImport.js';

const here = path.dirname(fileURLToPath(import.meta.url));

/**
 * The sample event created on first start: the OpenStack Ops Meetup schedule
 * (26 sessions, 2 days, 4 rooms), every session with the template applied.
 */
export function createDemoEvent(deps: { events: EventService; sessions: SessionRepo }, origin: string): CreateEventResponse {
  const schedule = fs.readFileSync(path.join(here, 'ops-meetup-austin-2016.json'));
  const meta = JSON.parse(schedule.toString('utf8')) as { title: string; slug: string; timezone: string };
  const created = deps.events.createEvent({ title: meta.title, slug: meta.slug, timezone: meta.timezone }, origin);
  importSchedule(deps, created.event.id, new Uint8Array(schedule), 'application/json', false);
  return created;
}
