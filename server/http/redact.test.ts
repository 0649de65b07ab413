import { describe, expect, it } from 'vitest';
import { redactUrl } from './redact.js';

describe('redactUrl', () => {
  it('hides the feed token and the WebSocket token, and keeps the rest of the URL', () => {
    const token = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';
    expect(redactUrl(`/api/events/ops/calendar.ics?k=${token}`)).toBe('/api/events/ops/calendar.ics?k=[redacted]');
    expect(redactUrl(`/collab/abc?readonly=1&token=${token}&ack=1`)).toBe('/collab/abc?readonly=1&token=[redacted]&ack=1');
    expect(redactUrl('/api/events/ops?kind=x')).toBe('/api/events/ops?kind=x');
  });
});
