import ICAL from 'ical.js';
import type { IssuePlace, ScheduleIssues } from './issues.js';
import type { ScannedEvent } from './icsScan.js';

/** Recurring events expand to at most this many occurrences within this many days, or the file is refused. */
export const MAX_OCCURRENCES = 60;
export const MAX_RECURRENCE_DAYS = 366;
/** EXDATE values per event (a few per occurrence is plenty). */
export const MAX_EXDATES = MAX_OCCURRENCES * 4;
const DAY = 86_400_000;
const FREQUENCIES = new Set(['DAILY', 'WEEKLY', 'MONTHLY', 'YEARLY']);

/**
 * ical.js's iterator loops inside one `next()` until a date matches its rule;
 * a rule that can never match (FREQ=DAILY;INTERVAL=7;BYDAY=TU from a Monday)
 * loops forever. Every stepping method of this one iterator counts against a
 * budget, so any rule ends, matched or refused, in milliseconds.
 */
const STEPPING_METHODS = ['next_second', 'next_minute', 'next_hour', 'next_day', 'next_week', 'next_month', 'next_year', 'increment_year', 'increment_month', 'increment_monthday', 'expand_year_days'];
const MAX_STEPS = 3_000;

class StepBudgetExceeded extends Error {}

function budgetedIterator(rule: ICAL.Recur, dtstart: ICAL.Time): ICAL.RecurIterator {
  const it = new ICAL.RecurIterator({ rule, dtstart, initialized: true });
  const methods = it as unknown as Record<string, unknown>;
  let steps = 0;
  for (const name of STEPPING_METHODS) {
    const original = methods[name];
    if (typeof original !== 'function') continue;
    methods[name] = (...args: unknown[]) => {
      if (++steps > MAX_STEPS) throw new StepBudgetExceeded();
      return (original as (...a: unknown[]) => unknown).apply(it, args);
    };
  }
  (it as unknown as { init(): void }).init();
  return it;
}

/** RRULE parts as written, for the checks ical.js does not make (it reads INTERVAL=0 as 1, for one). */
function ruleParts(value: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of value.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) parts.set(part.slice(0, eq).trim().toUpperCase(), part.slice(eq + 1).trim().toUpperCase());
  }
  return parts;
}

export interface RecurrenceInput {
  component: ICAL.Component;
  scanned: ScannedEvent;
  dtstart: ICAL.Time;
  startMs: number;
  /** Wall time in its zone → instant (the importer's rules for zones and DST). */
  instantOf(t: ICAL.Time): number;
  issues: ScheduleIssues;
}

/**
 * The occurrences of a recurring event (DTSTART, RRULE and RDATE, minus
 * EXDATE), each as an ical.js time in the event's zone, in order; or null
 * when the rules break Roundtable's limits (the problem is recorded, with the
 * line of the property at fault).
 */
export function expandOccurrences(input: RecurrenceInput): ICAL.Time[] | null {
  const { component, scanned, dtstart, startMs, instantOf, issues } = input;
  const windowEnd = startMs + MAX_RECURRENCE_DAYS * DAY;
  const lineOf = (name: string, nth = 0): IssuePlace => ({ line: scanned.props.filter((p) => p.name === name)[nth]?.line ?? scanned.line });
  const rules = component.getAllProperties('rrule');
  // DTSTART is the first occurrence. With an RRULE, the rule says so itself: ical.js starts from
  // DTSTART when it matches the rule, and (as Thunderbird does) not when it does not.
  const found = new Map<number, ICAL.Time>(rules.length === 0 ? [[startMs, dtstart]] : []);
  const add = (t: ICAL.Time, where: IssuePlace): boolean => {
    const ms = instantOf(t);
    if (ms > windowEnd) {
      issues.add('rrule_too_far', where, { days: MAX_RECURRENCE_DAYS });
      return false;
    }
    if (!found.has(ms)) found.set(ms, t.clone());
    if (found.size > MAX_OCCURRENCES) {
      issues.add('rrule_too_many', where, { max: MAX_OCCURRENCES });
      return false;
    }
    return true;
  };

  for (let i = 0; i < rules.length; i++) {
    const where = lineOf('RRULE', i);
    const raw = scanned.props.filter((p) => p.name === 'RRULE')[i]?.value ?? '';
    const parts = ruleParts(raw);
    const freq = parts.get('FREQ') ?? '';
    if (!FREQUENCIES.has(freq)) {
      issues.add('rrule_freq', where, { freq: freq.slice(0, 20) || '?' });
      return null;
    }
    const interval = parts.get('INTERVAL');
    if (interval !== undefined && !(/^\d{1,4}$/.test(interval) && Number(interval) >= 1)) {
      issues.add('rrule_interval', where, { value: interval.slice(0, 20) });
      return null;
    }
    const count = parts.get('COUNT');
    if (count !== undefined && !(/^\d+$/.test(count) && Number(count) >= 1)) {
      issues.add('rrule_unreadable', where);
      return null;
    }
    if (count !== undefined && Number(count) > MAX_OCCURRENCES) {
      issues.add('rrule_count', where, { value: count.slice(0, 20), max: MAX_OCCURRENCES });
      return null;
    }
    if (count === undefined && !parts.has('UNTIL')) {
      issues.add('rrule_endless', where, { max: MAX_OCCURRENCES, days: MAX_RECURRENCE_DAYS });
      return null;
    }
    try {
      const rule = rules[i]!.getFirstValue() as ICAL.Recur;
      if (rule.until && instantOf(rule.until) > windowEnd) {
        issues.add('rrule_too_far', where, { days: MAX_RECURRENCE_DAYS });
        return null;
      }
      const it = budgetedIterator(rule, dtstart);
      for (let t = it.next(); t; t = it.next()) if (!add(t, where)) return null;
    } catch {
      // An impossible rule (the step budget ran out) or one ical.js cannot follow.
      issues.add('rrule_unreadable', where);
      return null;
    }
  }

  const dates = (name: 'rdate' | 'exdate', max: number): ICAL.Time[] | null => {
    const out: ICAL.Time[] = [];
    for (const prop of component.getAllProperties(name)) {
      for (const v of prop.getValues() as (ICAL.Time | ICAL.Period)[]) {
        out.push(v instanceof ICAL.Period ? v.start : v);
        if (out.length > max) {
          issues.add('too_many_dates', lineOf(name.toUpperCase()), { property: name.toUpperCase(), max });
          return null;
        }
      }
    }
    return out;
  };
  const rdates = dates('rdate', MAX_OCCURRENCES);
  const exdates = dates('exdate', MAX_EXDATES);
  if (!rdates || !exdates) return null;
  for (const t of rdates) if (!add(t, lineOf('RDATE'))) return null;

  // EXDATE removes occurrences after COUNT was applied (RFC 5545 3.8.5.1); a date-only EXDATE removes that whole day.
  const key = (t: ICAL.Time) => `${t.year}-${t.month}-${t.day}`;
  const excludedAt = new Set(exdates.filter((t) => !t.isDate).map(instantOf));
  const excludedDays = new Set(exdates.filter((t) => t.isDate).map(key));
  return [...found.entries()]
    .filter(([ms, t]) => !excludedAt.has(ms) && !excludedDays.has(key(t)))
    .sort(([a], [b]) => a - b)
    .map(([, t]) => t);
}
