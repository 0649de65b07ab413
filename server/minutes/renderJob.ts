import type { Schema } from '@tiptap/pm/model';
import type { MinutesEvent, MinutesSession } from '../../shared/minutes/model.js';
import { notesJsonFromState } from './notesJson.js';
import { renderEventMinutes, renderSessionMinutes, type EventFormat, type SessionFormat } from './renderMinutes.js';

/** A session's minutes before its notes are read: the notes travel as their Yjs state, so a worker can do the reading too. */
export interface MinutesSessionInput extends Omit<MinutesSession, 'notes'> {
  notesState: Uint8Array[];
}

export interface MinutesEventInput extends Omit<MinutesEvent, 'sessions'> {
  sessions: MinutesSessionInput[];
}

export type RenderJob = { scope: 'session'; format: SessionFormat; minutes: MinutesSessionInput } | { scope: 'event'; format: EventFormat; minutes: MinutesEventInput };

/** Bytes of notes state a job carries: what its limit is measured in. */
export function jobInputBytes(job: RenderJob): number {
  const sessions = job.scope === 'session' ? [job.minutes] : job.minutes.sessions;
  let bytes = 0;
  for (const s of sessions) for (const part of s.notesState) bytes += part.byteLength;
  return bytes;
}

export function resolveSession(input: MinutesSessionInput, schema: Schema): MinutesSession {
  const { notesState, ...rest } = input;
  return { ...rest, notes: notesJsonFromState(notesState, schema) };
}

export function resolveEvent(input: MinutesEventInput, schema: Schema): MinutesEvent {
  return { ...input, sessions: input.sessions.map((s) => resolveSession(s, schema)) };
}

const utf8 = new TextEncoder();

/** Reads the notes (Yjs → ProseMirror JSON) and renders the format: all of an export's CPU work. */
export async function runRenderJob(job: RenderJob, schema: Schema): Promise<Uint8Array> {
  const out = job.scope === 'session' ? await renderSessionMinutes(resolveSession(job.minutes, schema), job.format) : await renderEventMinutes(resolveEvent(job.minutes, schema), job.format);
  return typeof out === 'string' ? utf8.encode(out) : out;
}
