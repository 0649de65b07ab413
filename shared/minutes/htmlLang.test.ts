import { describe, expect, it } from 'vitest';
import { fixtureEvent, jpSession } from '../../test/fixtures/minutes/fixtureNotes.js';
import { renderEventHtml, renderSessionHtml } from './html.js';
import type { MinutesLanguage } from './labels.js';
import type { MinutesEvent, MinutesSession } from './model.js';

const lang = (html: string) => /<html lang="([^"]*)">/.exec(html)?.[1];
const session = (language?: MinutesLanguage): MinutesSession => {
  const s = jpSession();
  return { ...s, event: { ...s.event, language } };
};
const event = (language?: MinutesLanguage): MinutesEvent => {
  const e = fixtureEvent();
  return { ...e, event: { ...e.event, language }, sessions: e.sessions.map((s) => ({ ...s, event: { ...s.event, language } })) };
};

describe('HTML minutes’ lang attribute', () => {
  it('is the event’s language, for a session export and for the event', () => {
    expect(lang(renderSessionHtml(session('ja')))).toBe('ja');
    expect(lang(renderEventHtml(event('ja')))).toBe('ja');
    expect(lang(renderSessionHtml(session('en')))).toBe('en');
    expect(lang(renderEventHtml(event('en')))).toBe('en');
  });

  it('is English (the language of the fixed words) when the event has none, never "und"', () => {
    expect(lang(renderSessionHtml(session()))).toBe('en');
    expect(lang(renderEventHtml(event()))).toBe('en');
  });
});
