import ICAL from 'ical.js';
import type { SessionFields } from '../sessionFields.js';
import { feedDescription } from './feedDescription.js';
import { ROUNDTABLE_PRODID } from './ics.js';
import { feedUid } from './planImport.js';
import { offsetAt } from './timezone.js';
import { vtimezoneFor, yearRanges } from './vtimezone.js';

export interface CalendarSession extends SessionFields {
  id: string;
  updatedAt: string;
  /** A link to the session's notes (with the view link), or null. */
  notesUrl: string | null;
}

/** The wall time of an instant in an IANA zone, as a floating ical.js time (its TZID parameter names the zone). */
function wallTime(iso: string, tz: string): ICAL.Time {
  const ms = Date.parse(iso);
  const d = new Date(ms + offsetAt(tz, ms) * 60_000);
  return ICAL.Time.fromData({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(), isDate: false });
}

/**
 * The schedule as iCalendar (RFC 5545), written by ical.js: one VEVENT per
 * scheduled session with UID, DTSTART/DTEND in the event's zone (TZID and a
 * VTIMEZONE with its real rules for the years used), SUMMARY, LOCATION (the
 * rooms, `;`-separated), CATEGORIES, DESCRIPTION (with moderators and the
 * notes link) and URL. Sessions without a start are left out. Roundtable
 * reads this back as the same schedule.
 */
export function writeScheduleIcs(cal: { title: string; timezone: string; sessions: readonly CalendarSession[]; now: Date }): string {
  const vcal = new ICAL.Component('vcalendar');
  vcal.addPropertyWithValue('prodid', ROUNDTABLE_PRODID);
  vcal.addPropertyWithValue('version', '2.0');
  vcal.addPropertyWithValue('calscale', 'GREGORIAN');
  vcal.addPropertyWithValue('method', 'PUBLISH');
  vcal.addPropertyWithValue('x-wr-calname', cal.title);
  vcal.addPropertyWithValue('x-wr-timezone', cal.timezone);
  // Subscribed calendars refresh hourly (RFC 7986, and the older Microsoft name).
  vcal.addPropertyWithValue('refresh-interval', ICAL.Duration.fromString('PT1H'));
  vcal.addPropertyWithValue('x-published-ttl', 'PT1H');

  const scheduled = cal.sessions.filter((s) => s.startsAt);
  const years = scheduled.flatMap((s) => [s.startsAt!, s.endsAt ?? s.startsAt!].map((iso) => new Date(iso).getUTCFullYear()));
  if (scheduled.length > 0) vcal.addSubcomponent(vtimezoneFor(cal.timezone, cal.timezone, yearRanges(years)));

  const stamp = ICAL.Time.fromJSDate(cal.now, true);
  for (const s of scheduled) {
    const ev = new ICAL.Component('vevent');
    ev.addPropertyWithValue('uid', s.uid ?? feedUid(s.id));
    ev.addPropertyWithValue('dtstamp', stamp);
    ev.addPropertyWithValue('last-modified', ICAL.Time.fromJSDate(new Date(s.updatedAt), true));
    for (const [name, iso] of [['dtstart', s.startsAt], ['dtend', s.endsAt]] as const) {
      if (!iso) continue;
      const p = new ICAL.Property(name);
      p.setParameter('tzid', cal.timezone);
      p.setValue(wallTime(iso, cal.timezone));
      ev.addProperty(p);
    }
    ev.addPropertyWithValue('summary', s.title);
    if (s.rooms.length) ev.addPropertyWithValue('location', s.rooms.join('; '));
    if (s.tags.length) {
      const categories = new ICAL.Property('categories');
      categories.setValues(s.tags);
      ev.addProperty(categories);
    }
    const description = feedDescription(s.description, s.moderators, s.notesUrl);
    if (description) ev.addPropertyWithValue('description', description);
    if (s.notesUrl) ev.addPropertyWithValue('url', s.notesUrl);
    vcal.addSubcomponent(ev);
  }
  return vcal.toString() + '\r\n';
}
