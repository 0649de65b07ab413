import { useEffect, useState } from 'react';
import type { SessionDto } from '../../shared/schemas.js';
import { roomsText } from '../../shared/sessionFields.js';
import { useI18n } from '../i18n/i18n.js';
import { formatTime, timeRangeFromToday } from '../lib/format.js';

function useClock(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(id);
  }, []);
  return now;
}

/** Title, room, time and "now discussing" on the left; the clock and time remaining on the right. */
export function ProjectorHeader({ session, timezone }: { session: SessionDto; timezone: string }) {
  const { t, lang } = useI18n();
  const now = useClock();
  const starts = session.startsAt ? Date.parse(session.startsAt) : null;
  const ends = session.endsAt ? Date.parse(session.endsAt) : null;
  let remaining: string | null = null;
  if (starts !== null && now < starts) {
    const min = Math.ceil((starts - now) / 60_000);
    if (min <= 120) remaining = t('present.startsIn', { min });
  } else if (ends !== null && session.state !== 'ended') {
    const min = Math.ceil((ends - now) / 60_000);
    if (min > 0 && min <= 24 * 60) remaining = t('present.remaining', { min });
    else if (min <= 0 && now - ends < 60 * 60_000) remaining = t('present.overtime');
  }
  const time = timeRangeFromToday(session, timezone, lang, now);
  return (
    <header className="projector-head">
      <div className="projector-title">
        <h1 data-testid="projector-title">{session.title}</h1>
        <p className="projector-meta" data-testid="projector-meta">{[roomsText(session.rooms), time].filter(Boolean).join(' · ')}</p>
        {session.nowDiscussing ? (
          <p className="projector-topic" data-testid="projector-topic">
            <span className="projector-topic-label">{t('event.nowDiscussing')}</span> {session.nowDiscussing}
          </p>
        ) : null}
      </div>
      <div className="projector-clock">
        <span className="clock" data-testid="clock">
          {formatTime(new Date(now).toISOString(), timezone, lang)}
        </span>
        {remaining ? <span className="remaining" data-testid="remaining">{remaining}</span> : null}
        {session.state === 'ended' ? <span className="remaining">{t('event.state.ended')}</span> : null}
      </div>
    </header>
  );
}
