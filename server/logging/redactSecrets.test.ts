import { describe, expect, it } from 'vitest';
import { redactFields, redactText } from './redactSecrets.js';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

describe('redactText', () => {
  it('hides tokens in query strings, fragments, Bearer headers and standalone', () => {
    expect(redactText(`/api/events/ops/calendar.ics?k=${TOKEN}`)).toBe('/api/events/ops/calendar.ics?k=[redacted]');
    expect(redactText(`/collab/abc?readonly=1&token=${TOKEN}&ack=1`)).toBe('/collab/abc?readonly=1&token=[redacted]&ack=1');
    expect(redactText(`https://notes.example.org/e/ops#k=${TOKEN}`)).toBe('https://notes.example.org/e/ops#k=[redacted]');
    expect(redactText(`Bearer ${TOKEN}`)).toBe('Bearer [redacted]');
    expect(redactText(`pasted ${TOKEN} here`)).toBe('pasted [redacted] here');
  });

  it('keeps what is not a secret: ids, slugs (even 32 characters long), other parameters', () => {
    expect(redactText('/api/events/openstack-ops-meetup-austin-2016?kind=x')).toBe('/api/events/openstack-ops-meetup-austin-2016?kind=x');
    expect(redactText('/api/sessions/abcdefghijklmnop/minutes?format=md')).toBe('/api/sessions/abcdefghijklmnop/minutes?format=md');
  });
});

describe('redactFields', () => {
  it('hides values under secret keys and secrets inside any string, at any depth', () => {
    const out = redactFields({ headers: { authorization: `Bearer ${TOKEN}`, accept: 'json' }, tokens: { edit: TOKEN }, adminToken: 'x', url: `/x?k=${TOKEN}`, list: [`token=${TOKEN}`] });
    expect(out).toEqual({ headers: { authorization: '[redacted]', accept: 'json' }, tokens: '[redacted]', adminToken: '[redacted]', url: '/x?k=[redacted]', list: ['token=[redacted]'] });
    expect(JSON.stringify(out)).not.toContain(TOKEN);
  });
});
