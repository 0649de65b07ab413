import { describe, expect, it } from 'vitest';
import type { SessionDto } from '../../shared/schemas.js';
import { checkSessionForm, checkSessionTimes, formValues } from './sessionForm.js';

const session = (extra: Partial<SessionDto> = {}): SessionDto => ({
  id: 's', eventId: 'e', title: 'Ceph', startsAt: '2025-11-22T00:00:00.000Z', endsAt: '2025-11-22T01:00:00.000Z', rooms: ['Room A'], track: null, moderators: ['emeka'], tags: ['storage'], description: null,
  locked: false, state: 'scheduled', nowDiscussing: null, createdAt: '', updatedAt: '', notesUpdatedAt: null, live: { editors: 0, viewers: 0 }, ...extra,
});

describe('the session edit form', () => {
  const tz = 'Asia/Tokyo';
  it('shows times in the event\'s zone and sends only what changed', () => {
    const initial = formValues(session(), tz);
    expect(initial).toMatchObject({ date: '2025-11-22', start: '09:00', end: '10:00', rooms: 'Room A', moderators: 'emeka' });
    expect(checkSessionForm({ ...initial, title: 'Ceph hands-on ' }, initial, tz)).toEqual({ errors: {}, patch: { title: 'Ceph hands-on' } });
    const moved = checkSessionForm({ ...initial, start: '11:00', end: '12:30', rooms: 'Room B; Room C' }, initial, tz);
    expect(moved).toEqual({ errors: {}, patch: { startsAt: '2025-11-22T02:00:00.000Z', endsAt: '2025-11-22T03:30:00.000Z', rooms: ['Room B', 'Room C'] } });
  });

  it('leaves an untouched all-day span alone, and clearing date and times unschedules', () => {
    const allDay = session({ startsAt: '2025-11-21T15:00:00.000Z', endsAt: '2025-11-22T15:00:00.000Z' });
    const initial = formValues(allDay, tz);
    expect(checkSessionForm({ ...initial, tags: 'storage, ceph' }, initial, tz).patch).toEqual({ tags: ['storage', 'ceph'] });
    expect(checkSessionForm({ ...initial, date: '', start: '', end: '' }, initial, tz).patch).toEqual({ startsAt: null, endsAt: null });
  });

  it('names each problem with a message key, before anything is sent', () => {
    const initial = formValues(session(), tz);
    expect(checkSessionForm({ ...initial, title: '  ' }, initial, tz).errors).toEqual({ title: { key: 'session.edit.error.titleRequired' } });
    expect(checkSessionForm({ ...initial, end: '08:00' }, initial, tz).errors).toEqual({ end: { key: 'session.edit.error.endBeforeStart' } });
    expect(checkSessionForm({ ...initial, date: '' }, initial, tz).errors).toEqual({ date: { key: 'session.edit.error.timeNeedsDate' } });
    expect(checkSessionForm({ ...initial, start: '' }, initial, tz).errors).toEqual({ start: { key: 'session.edit.error.dateNeedsStart' } });
    expect(checkSessionForm({ ...initial, rooms: Array.from({ length: 21 }, (_, i) => `R${i}`).join(';') }, initial, tz).errors).toEqual({ rooms: { key: 'session.edit.error.tooMany', vars: { max: 20 } } });
  });
});

describe('session times, shared by the Add and Edit forms', () => {
  const tz = 'Asia/Tokyo';
  it('refuses a time without a date and a date without a start, as the Add form used to drop them silently', () => {
    expect(checkSessionTimes({ date: '', start: '10:00', end: '' }, tz).errors).toEqual({ date: { key: 'session.edit.error.timeNeedsDate' } });
    expect(checkSessionTimes({ date: '', start: '', end: '11:00' }, tz).errors).toEqual({ date: { key: 'session.edit.error.timeNeedsDate' } });
    expect(checkSessionTimes({ date: '2025-11-22', start: '', end: '' }, tz).errors).toEqual({ start: { key: 'session.edit.error.dateNeedsStart' } });
    expect(checkSessionTimes({ date: '', start: '', end: '' }, tz)).toEqual({ errors: {}, startsAt: null, endsAt: null });
    expect(checkSessionTimes({ date: '2025-11-22', start: '09:00', end: '' }, tz)).toEqual({ errors: {}, startsAt: '2025-11-22T00:00:00.000Z', endsAt: null });
  });

  it('runs past midnight when the end is before the start by the clock (under 12 hours), in both forms', () => {
    expect(checkSessionTimes({ date: '2025-11-22', start: '23:30', end: '00:30' }, tz)).toEqual({ errors: {}, startsAt: '2025-11-22T14:30:00.000Z', endsAt: '2025-11-22T15:30:00.000Z' });
    // A long way back is still a mistake, not an overnight session.
    expect(checkSessionTimes({ date: '2025-11-22', start: '10:00', end: '09:00' }, tz).errors).toEqual({ end: { key: 'session.edit.error.endBeforeStart' } });
    const initial = formValues(session(), tz);
    expect(checkSessionForm({ ...initial, start: '23:30', end: '00:30' }, initial, tz)).toEqual({ errors: {}, patch: { startsAt: '2025-11-22T14:30:00.000Z', endsAt: '2025-11-22T15:30:00.000Z' } });
    // Across a DST change the next day's wall time is used (New York, 2025-11-02 falls back at 02:00).
    expect(checkSessionTimes({ date: '2025-11-01', start: '23:30', end: '01:30' }, 'America/New_York')).toEqual({ errors: {}, startsAt: '2025-11-02T03:30:00.000Z', endsAt: '2025-11-02T05:30:00.000Z' });
  });
});
