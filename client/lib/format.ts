/** Times are shown in the event's time zone; the viewer's own time is offered on hover. */
export function formatTime(iso: string | null, timeZone: string, lang: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

export function formatDay(iso: string | null, timeZone: string, lang: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { timeZone, weekday: 'short', day: 'numeric', month: 'short' }).format(new Date(iso));
}

export function dayKey(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(iso));
}

export function formatLocal(iso: string | null, lang: string): string {
  if (!iso) return '';
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', { weekday: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' }).format(new Date(iso));
}

export function timeRange(s: { startsAt: string | null; endsAt: string | null }, tz: string, lang: string): string {
  if (!s.startsAt) return '';
  return `${formatDay(s.startsAt, tz, lang)} ${formatTime(s.startsAt, tz, lang)}${s.endsAt ? `–${formatTime(s.endsAt, tz, lang)}` : ''}`;
}
