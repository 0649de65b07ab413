import { describe, expect, it } from 'vitest';
import { ERRORS, isErrorCode, type ApiErrorBody } from '../../shared/errors.js';
import { api, createEventWithSession, startTestServer, serverSuite } from '../helpers/testServer.js';

describe('every HTTP error is a registered code with its parameters', () => {
  const suite = serverSuite();

  it('answers each kind of failure with its code, its registry status, its parameters and an English message', async () => {
    suite.server = await startTestServer({ adminToken: 'admin-token-for-tests-0123456789' });
    const base = suite.server.url;
    const admin = 'admin-token-for-tests-0123456789';
    const created = await api<{ event: { id: string; slug: string }; tokens: Record<'edit' | 'view' | 'moderate', string> }>(base, 'POST', '/api/events', {
      token: admin,
      body: { title: 'Errors', slug: 'errors' },
    });
    const ev = created.body;
    const session = await api<{ id: string }>(base, 'POST', `/api/events/${ev.event.id}/sessions`, { token: ev.tokens.moderate, body: { title: 'S' } });
    const cases: { what: string; method: string; path: string; token?: string; body?: unknown; raw?: string; type?: string; code: string; params?: Record<string, unknown> }[] = [
      { what: 'no admin token', method: 'POST', path: '/api/events', body: { title: 'x' }, code: 'admin_token_required' },
      { what: 'slug taken', method: 'POST', path: '/api/events', token: admin, body: { title: 'x', slug: 'errors' }, code: 'slug_taken', params: { slug: 'errors' } },
      { what: 'bad slug', method: 'POST', path: '/api/events', token: admin, body: { title: 'x', slug: 'Bad Slug!' }, code: 'invalid_slug' },
      { what: 'broken JSON', method: 'POST', path: '/api/events', token: admin, raw: '{"title": ', code: 'invalid_json' },
      { what: 'huge body', method: 'POST', path: '/api/events', token: admin, raw: JSON.stringify({ title: 'x', pad: 'y'.repeat(1_100_000) }), code: 'too_large', params: { maxMiB: 1 } },
      { what: 'no token', method: 'GET', path: `/api/events/${ev.event.slug}`, code: 'token_required' },
      { what: 'unknown token', method: 'GET', path: `/api/events/${ev.event.slug}`, token: 'x'.repeat(32), code: 'link_invalid' },
      { what: 'view link edits', method: 'PATCH', path: `/api/sessions/${session.body.id}`, token: ev.tokens.view, body: { title: 'x' }, code: 'insufficient_role', params: { needed: 'moderate', role: 'view' } },
      { what: 'unknown event', method: 'GET', path: '/api/events/no-such-event', token: ev.tokens.view, code: 'event_not_found' },
      { what: 'bad event ref', method: 'GET', path: '/api/events/Bad!Ref', token: ev.tokens.view, code: 'invalid_event_ref' },
      { what: 'unknown session', method: 'GET', path: '/api/sessions/aaaaaaaaaaaaaaaa', token: ev.tokens.view, code: 'session_not_found' },
      { what: 'bad session id', method: 'GET', path: '/api/sessions/nope', token: ev.tokens.view, code: 'invalid_session_id' },
      { what: 'unknown action item', method: 'PATCH', path: '/api/action-items/aaaaaaaaaaaaaaaa', token: ev.tokens.edit, body: { status: 'done' }, code: 'action_item_not_found' },
      { what: 'unknown endpoint', method: 'GET', path: '/api/nothing-here', code: 'endpoint_not_found' },
      { what: 'rotate a made-up role', method: 'POST', path: `/api/events/${ev.event.id}/links/admin/rotate`, token: ev.tokens.moderate, code: 'invalid_role' },
      { what: 'ends before it starts', method: 'PATCH', path: `/api/sessions/${session.body.id}`, token: ev.tokens.moderate, body: { startsAt: '2026-07-06T10:00:00Z', endsAt: '2026-07-06T09:00:00Z' }, code: 'ends_before_start' },
      { what: 'bad state', method: 'PATCH', path: `/api/sessions/${session.body.id}`, token: ev.tokens.moderate, body: { state: 'paused' }, code: 'invalid_choice', params: { field: 'state', allowed: 'scheduled, live, ended' } },
      { what: 'bad minutes format', method: 'GET', path: `/api/sessions/${session.body.id}/minutes?format=exe`, token: ev.tokens.view, code: 'invalid_choice', params: { field: 'format', allowed: 'md, html, txt, docx, pdf, json' } },
      { what: 'carry into itself', method: 'POST', path: `/api/sessions/${session.body.id}/carry-forward`, token: ev.tokens.moderate, body: { fromSessionId: session.body.id }, code: 'carry_into_itself' },
      { what: 'empty schedule', method: 'POST', path: `/api/events/${ev.event.id}/schedule`, token: ev.tokens.moderate, raw: '', type: 'text/csv', code: 'empty_body' },
      { what: 'schedule of an unknown type', method: 'POST', path: `/api/events/${ev.event.id}/schedule`, token: ev.tokens.moderate, raw: 'x', type: 'application/pdf', code: 'unsupported_type', params: { type: 'application/pdf' } },
      { what: 'invalid template', method: 'PUT', path: `/api/events/${ev.event.id}/template`, token: ev.tokens.moderate, body: { template: { type: 'doc', content: [{ type: 'noSuchNode' }] } }, code: 'invalid_template' },
    ];
    for (const c of cases) {
      const headers: Record<string, string> = {};
      if (c.token) headers.authorization = `Bearer ${c.token}`;
      const body = c.raw ?? (c.body === undefined ? undefined : JSON.stringify(c.body));
      if (body !== undefined) headers['content-type'] = c.type ?? 'application/json';
      const res = await fetch(base + c.path, { method: c.method, headers, body });
      const json = (await res.json()) as ApiErrorBody;
      expect(json.error.code, c.what).toBe(c.code);
      expect(isErrorCode(json.error.code), c.what).toBe(true);
      expect(res.status, c.what).toBe(ERRORS[c.code as keyof typeof ERRORS].status);
      if (c.params) expect(json.error.params, c.what).toEqual(c.params);
      const declared = Object.keys(ERRORS[c.code as keyof typeof ERRORS].params).sort();
      expect(Object.keys(json.error.params ?? {}).sort(), `${c.what}: exactly the declared params`).toEqual(declared);
      expect(json.error.message, c.what).not.toMatch(/\{\w+\}|problem\(s\)/);
      expect(json.error.message.length, c.what).toBeGreaterThan(5);
    }
  });

  it('a validation error lists every problem with its field, code and parameters', async () => {
    suite.server = await startTestServer();
    const fx = await createEventWithSession(suite.server.url);
    const res = await api<ApiErrorBody>(suite.server.url, 'POST', `/api/events/${fx.event.event.id}/sessions`, {
      token: fx.event.tokens.moderate,
      body: { title: '', startsAt: 'tomorrow', tags: Array.from({ length: 31 }, (_, i) => `t${i}`) },
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'field_required', params: { field: 'title' }, message: 'title is required' });
    expect(res.body.error.details!.map((d) => [d.path, d.code, d.params])).toEqual([
      ['title', 'field_required', { field: 'title' }],
      ['startsAt', 'invalid_date_time', { field: 'startsAt' }],
      ['tags', 'too_many_items', { field: 'tags', max: 30 }],
    ]);
  });
});
