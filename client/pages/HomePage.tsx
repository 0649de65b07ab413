import { formatJoinCode, normalizeJoinCode } from '../../shared/ids.js';
import { useEffect, useId, useState } from 'react';
import type { CreateEventResponse } from '../../shared/schemas.js';
import { AppHeader } from '../components/AppHeader.js';
import { CopyField } from '../components/CopyField.js';
import { isValidSlug, normalizeSlugInput, SLUG_INPUT_PATTERN } from '../components/slugInput.js';
import { useI18n } from '../i18n/i18n.js';
import { apiClient, ApiError } from '../lib/api.js';
import { errorMessage } from '../lib/errorMessage.js';
import { navigate } from '../lib/router.js';
import { useDocumentTitle } from '../lib/useDocumentTitle.js';
import { parseEventLink, recentEvents, rememberEvent, storeToken, storedToken } from '../lib/tokens.js';

type SlugCheck = 'idle' | 'checking' | 'available' | 'taken' | 'invalid' | 'unknown';

/** Checks a chosen short name while it is typed (after a pause), so a taken one is known before submitting. */
function useSlugCheck(slug: string): SlugCheck {
  const [check, setCheck] = useState<SlugCheck>('idle');
  useEffect(() => {
    if (!slug) return setCheck('idle');
    if (!isValidSlug(slug)) {
      // Typing "ux-" on the way to "ux-meetup" is not an error yet: say so only after a pause.
      const timer = setTimeout(() => setCheck('invalid'), 600);
      setCheck('idle');
      return () => clearTimeout(timer);
    }
    let live = true;
    setCheck('checking');
    const timer = setTimeout(() => {
      apiClient(null).slugAvailable(slug).then(
        (r) => live && setCheck(r.available ? 'available' : 'taken'),
        () => live && setCheck('unknown'),
      );
    }, 300);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [slug]);
  return check;
}

const ZONES: string[] = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC'];

export function HomePage() {
  const { t, lang } = useI18n();
  const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const [title, setTitle] = useState('');
  const [slug, setSlug] = useState('');
  const [timezone, setTimezone] = useState(browserZone);
  const [adminToken, setAdminToken] = useState('');
  const [needsAdmin, setNeedsAdmin] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [created, setCreated] = useState<CreateEventResponse | null>(null);
  const [link, setLink] = useState('');
  const [linkError, setLinkError] = useState(false);
  const slugCheck = useSlugCheck(slug.trim());
  const slugStatusId = useId();
  useDocumentTitle([]);

  const create = async () => {
    setBusy(true);
    setError(null);
    try {
      const res = await apiClient(adminToken || null).createEvent({
        title,
        timezone,
        // The event's language (template, minutes headings) starts as the creator's UI language.
        language: lang,
        ...(slug.trim() ? { slug: slug.trim() } : {}),
      });
      storeToken(res.event.slug, res.tokens.moderate);
      rememberEvent({ ref: res.event.slug, title: res.event.title, role: 'moderate', at: Date.now() });
      setCreated(res);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setNeedsAdmin(true);
      setError(errorMessage(err, t));
    } finally {
      setBusy(false);
    }
  };

  const open = () => {
    // A join code read off a projector ("BC57-PXXK") or its short URL: the server turns it into the session link.
    const code = normalizeJoinCode(link.trim().replace(/^.*\/j\//, ''));
    if (code) {
      window.location.assign(`/j/${formatJoinCode(code)}`);
      return;
    }
    const parsed = parseEventLink(link);
    if (!parsed) return setLinkError(true);
    storeToken(parsed.eventRef, parsed.token);
    window.history.pushState(null, '', `${parsed.path}#k=${parsed.token}`);
    navigate(parsed.path);
  };

  return (
    <div className="page">
      <AppHeader />
      <main className="home">
        <section className="hero">
          <h1>{t('app.name')}</h1>
          <p className="lead">{t('app.tagline')}</p>
        </section>
        {created ? (
          <section className="card links-card" data-testid="created-links">
            <h2>{t('home.links.title')}</h2>
            <p className="muted">{t('home.links.intro')}</p>
            {(['edit', 'view', 'moderate'] as const).map((role) => (
              <div className={`link-row link-${role}`} key={role}>
                <h3>{t(`home.links.${role}`)}</h3>
                <p className="muted">{t(`home.links.${role}Who`)}</p>
                <CopyField value={created.links[role]} testId={`link-${role}`} label={t(`home.links.${role}`)} />
              </div>
            ))}
            <button
              type="button"
              className="btn"
              data-testid="open-event"
              onClick={() => {
                window.history.pushState(null, '', `/e/${created.event.slug}#k=${created.tokens.moderate}`);
                navigate(`/e/${created.event.slug}`);
              }}
            >
              {t('home.links.open')}
            </button>
          </section>
        ) : (
          <form
            className="card"
            data-testid="create-event-form"
            onSubmit={(e) => {
              e.preventDefault();
              void create();
            }}
          >
            <h2>{t('home.create.title')}</h2>
            <label>
              {t('home.create.eventTitle')}
              <input data-testid="event-title-input" required maxLength={300} value={title} placeholder={t('home.create.eventTitlePlaceholder')} onChange={(e) => setTitle(e.target.value)} />
            </label>
            <div className="row">
              <label>
                {t('home.create.slug')}
                <input
                  value={slug}
                  maxLength={64}
                  pattern={SLUG_INPUT_PATTERN}
                  placeholder="aus-ops-2016"
                  data-testid="slug-input"
                  aria-describedby={slugStatusId}
                  aria-invalid={slugCheck === 'invalid' || slugCheck === 'taken'}
                  onChange={(e) => setSlug(normalizeSlugInput(e.target.value))}
                />
                <span id={slugStatusId} className={`slug-status${slugCheck === 'available' ? ' is-ok' : slugCheck === 'taken' || slugCheck === 'invalid' ? ' is-bad' : ' muted'}`} data-testid="slug-status" data-check={slugCheck} aria-live="polite">
                  {slugCheck === 'checking'
                    ? t('home.create.slugChecking')
                    : slugCheck === 'available'
                      ? t('home.create.slugAvailable')
                      : slugCheck === 'taken'
                        ? t('home.create.slugTaken')
                        : slugCheck === 'invalid'
                          ? t('home.create.slugInvalid')
                          : slugCheck === 'unknown'
                            ? t('home.create.slugUnknown')
                            : t('home.create.slugHint')}
                </span>
              </label>
              <label>
                {t('home.create.timezone')}
                <select value={timezone} onChange={(e) => setTimezone(e.target.value)}>
                  {(ZONES.includes(timezone) ? ZONES : [timezone, ...ZONES]).map((z) => (
                    <option key={z}>{z}</option>
                  ))}
                </select>
              </label>
            </div>
            {needsAdmin ? (
              <label>
                {t('home.create.adminToken')}
                <input type="password" value={adminToken} onChange={(e) => setAdminToken(e.target.value)} />
              </label>
            ) : null}
            {error ? <p className="error" role="alert">{error}</p> : null}
            <button type="submit" className="btn" data-testid="create-event-submit" disabled={busy || !title.trim() || slugCheck === 'taken' || (slug.trim() !== '' && !isValidSlug(slug.trim()))}>
              {t('home.create.submit')}
            </button>
          </form>
        )}
        <section className="card">
          <h2>{t('home.open.title')}</h2>
          <form
            className="row open-row"
            onSubmit={(e) => {
              e.preventDefault();
              open();
            }}
          >
            <input value={link} placeholder={t('home.open.placeholder')} onChange={(e) => { setLink(e.target.value); setLinkError(false); }} aria-label={t('home.open.placeholder')} />
            <button type="submit" className="btn btn-secondary">
              {t('home.open.submit')}
            </button>
          </form>
          {linkError ? <p className="error">{t('home.open.invalid')}</p> : null}
          {recentEvents().length > 0 ? (
            <>
              <h3>{t('home.recent.title')}</h3>
              <ul className="recent">
                {recentEvents().map((r) => {
                  const token = storedToken(r.ref);
                  return (
                    <li key={r.ref}>
                      <a href={`/e/${encodeURIComponent(r.ref)}${token ? `#k=${token}` : ''}`}>{r.title}</a>
                    </li>
                  );
                })}
              </ul>
            </>
          ) : null}
        </section>
      </main>
    </div>
  );
}
