import { randomInt } from 'node:crypto';
import { Router, type Request } from 'express';
import { z } from 'zod';
import { formatJoinCode, isId, JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, normalizeJoinCode } from '../../shared/ids.js';
import type { EventService } from '../events/eventService.js';
import { hashToken } from '../access/tokens.js';
import { authorize } from '../http/auth.js';
import type { AccessResolver } from '../access/access.js';
import { DomainError } from '../domainError.js';
import { parseBody } from '../http/parseInput.js';
import { requestOrigin } from '../http/origin.js';
import type { JoinCodeStore, TokenStore } from '../storage/ports.js';
import type { GuessCounter } from '../http/guessLimiter.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** A code lives a week: long enough for a conference, short enough that guessing old ones is pointless. */
const CODE_LIFETIME_MS = 7 * DAY_MS;

export interface JoinRoutesDeps {
  events: EventService;
  tokens: Pick<TokenStore, 'activeTokens'>;
  access: AccessResolver;
  codes: JoinCodeStore;
  limiter: GuessCounter;
  publicUrl: string | null;
  now?: () => Date;
}

const joinCodeInput = z.strictObject({ role: z.enum(['edit', 'view']) });

function newCode(): string {
  let code = '';
  for (let i = 0; i < JOIN_CODE_LENGTH; i++) code += JOIN_CODE_ALPHABET[randomInt(JOIN_CODE_ALPHABET.length)];
  return code;
}

/** `POST /api/sessions/:sessionId/join-code`: a short code for the session's edit or view link. */
export function joinCodeApiRoutes(deps: JoinRoutesDeps): Router {
  const r = Router();
  const now = deps.now ?? (() => new Date());
  r.post('/sessions/:sessionId/join-code', async (req, res) => {
    const id = String(req.params.sessionId ?? '');
    if (!isId(id)) throw new DomainError('invalid_session_id');
    const session = await deps.events.findSession(id);
    const { role } = parseBody(joinCodeInput, req.body);
    // You can hand out what you hold, or less: a view link can never mint an edit code.
    await authorize(deps.access, req, session.event_id, role);
    const token = (await deps.tokens.activeTokens(session.event_id))[role];
    if (!token) throw new DomainError('no_link', { role });
    const tokenHash = hashToken(token);
    const at = now();
    // Reuse a code with at least a day left, so the screen does not change code on every reload.
    let found = await deps.codes.reusable(id, role, tokenHash, new Date(at.getTime() + DAY_MS).toISOString());
    if (!found) {
      await deps.codes.purgeExpired(at.toISOString());
      const expiresAt = new Date(at.getTime() + CODE_LIFETIME_MS).toISOString();
      for (let attempt = 0; !found; attempt++) {
        const code = newCode();
        try {
          await deps.codes.insert({ code, eventId: session.event_id, sessionId: id, role, tokenHash, now: at.toISOString(), expiresAt });
          found = { code, expiresAt };
        } catch (err) {
          if (attempt >= 5) throw err;
        }
      }
    }
    const pretty = formatJoinCode(found.code);
    res.status(201).json({ code: pretty, url: `${requestOrigin(deps.publicUrl, req)}/j/${pretty}`, role, expiresAt: found.expiresAt });
  });
  return r;
}

function clientAddress(req: Request): string {
  return req.socket.remoteAddress ?? 'unknown';
}

const NOT_FOUND_PAGE = `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Roundtable</title></head>
<body><h1>This join code is not valid (any more).</h1><p>Check the code on the screen, or ask the moderator for the link.</p>
<h1 lang="ja">この参加コードは無効です。</h1><p lang="ja">画面のコードを確認するか、モデレーターにリンクを尋ねてください。</p></body></html>`;

/** `GET /j/:code`: sends the browser on to the session with the link's token in the fragment. */
export function joinPageRoutes(deps: JoinRoutesDeps): Router {
  const r = Router();
  const now = deps.now ?? (() => new Date());
  r.get('/j/:code', async (req, res) => {
    res.setHeader('Cache-Control', 'no-store');
    const address = clientAddress(req);
    if (await deps.limiter.blocked(address)) {
      res.status(429).type('text/plain').send('Too many wrong join codes from this address: wait a minute and try again.\n');
      return;
    }
    const code = normalizeJoinCode(String(req.params.code ?? ''));
    const target = code ? await deps.codes.resolve(code, now().toISOString()) : undefined;
    if (!target) {
      await deps.limiter.fail(address);
      res.status(404).type('html').send(NOT_FOUND_PAGE);
      return;
    }
    res.redirect(302, `/e/${encodeURIComponent(target.eventSlug)}/s/${target.sessionId}#k=${target.token}`);
  });
  return r;
}
