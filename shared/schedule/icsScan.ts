import { LIMITS } from '../limits.js';
import type { ScheduleIssues } from './issues.js';

/** Content lines longer than this (after unfolding) are refused. */
export const MAX_ICS_LINE = 10_000;
const MAX_DEPTH = 8;
/** Events a calendar may hold (overrides and cancelled ones included), and properties one event may have. */
export const MAX_ICS_EVENTS = LIMITS.maxSessionsPerEvent * 2;
export const MAX_EVENT_PROPERTIES = 1_000;

export interface ScannedProperty {
  /** Upper-case name without parameters. */
  name: string;
  /** The parameter part, as written (`;TZID=Europe/Berlin`). */
  params: string;
  /** The value as written (escaped). */
  value: string;
  line: number;
}

export interface ScannedEvent {
  /** The line of its BEGIN:VEVENT. */
  line: number;
  /** Its own properties (not those of a nested VALARM). */
  props: ScannedProperty[];
}

/** The first colon outside a quoted parameter value, or -1. */
function valueStart(text: string): number {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (c === ':' && !quoted) return i;
  }
  return -1;
}

/**
 * ical.js parses the file but reports no positions and stops at the first
 * bad line. This pass runs first: it checks the shape of every content line,
 * the BEGIN/END nesting and line lengths (all problems at once, by line), and
 * notes where each event and each of its properties is, so later problems
 * can name their line too. `text` is already unfolded; `fileLines[i]` is the
 * file line of unfolded line i.
 */
export function scanIcs(text: string, fileLines: readonly number[] | undefined, issues: ScheduleIssues): ScannedEvent[] | null {
  const lines = text.split(/\r\n|\n|\r/);
  const stack: { name: string; line: number }[] = [];
  const events: ScannedEvent[] = [];
  let calendars = 0;
  let current: ScannedEvent | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!;
    const line = fileLines?.[i] ?? i + 1;
    if (!raw.trim()) continue;
    if (raw.length > MAX_ICS_LINE) {
      issues.add('ics_line_too_long', { line }, { max: MAX_ICS_LINE });
      continue;
    }
    const colon = valueStart(raw);
    const head = colon > 0 ? raw.slice(0, colon) : '';
    const semi = head.indexOf(';');
    const name = (semi >= 0 ? head.slice(0, semi) : head).toUpperCase();
    if (!/^[A-Z0-9-]+$/.test(name)) {
      issues.add('ics_bad_line', { line });
      continue;
    }
    const value = raw.slice(colon + 1);
    if (name === 'BEGIN') {
      const component = value.trim().toUpperCase();
      if (stack.length >= MAX_DEPTH) {
        issues.add('ics_too_deep', { line });
        return null;
      }
      if (stack.length === 0 && component === 'VCALENDAR') calendars++;
      if (component === 'VEVENT' && stack.length === 1 && stack[0]!.name === 'VCALENDAR' && calendars === 1) {
        current = { line, props: [] };
        events.push(current);
        // Refused before ical.js builds thousands of events only to find the session limit exceeded.
        if (events.length > MAX_ICS_EVENTS) {
          issues.add('too_many_sessions', {}, { count: `${MAX_ICS_EVENTS}+`, max: LIMITS.maxSessionsPerEvent });
          return null;
        }
      }
      stack.push({ name: component, line });
    } else if (name === 'END') {
      const top = stack.pop();
      const component = value.trim().toUpperCase();
      if (!top || top.name !== component) {
        issues.add('ics_end_mismatch', { line }, { end: component.slice(0, 40), begin: top?.name.slice(0, 40) ?? '—' });
        return null;
      }
      if (component === 'VEVENT' && stack.length === 1) current = null;
    } else if (current && stack.length === 2) {
      current.props.push({ name, params: semi >= 0 ? head.slice(semi) : '', value, line });
      if (current.props.length > MAX_EVENT_PROPERTIES) {
        issues.add('too_many_properties', { line: current.line }, { max: MAX_EVENT_PROPERTIES });
        return null;
      }
    }
  }
  const open = stack.at(-1);
  if (open) {
    issues.add('ics_not_ended', { line: open.line }, { begin: open.name.slice(0, 40) });
    return null;
  }
  if (calendars === 0) {
    issues.add('ics_not_calendar');
    return null;
  }
  return events;
}
