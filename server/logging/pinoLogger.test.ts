import { describe, expect, it } from 'vitest';
import { createPinoLogger } from './pinoLogger.js';
import { RequestScope } from './requestScope.js';

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz012345';

function capture(level: 'debug' | 'info' = 'debug') {
  const lines: Record<string, unknown>[] = [];
  const requests = new RequestScope();
  const log = createPinoLogger({ level, requests, destination: { write: (s: string) => void lines.push(JSON.parse(s) as Record<string, unknown>) } });
  return { lines, requests, log };
}

describe('createPinoLogger', () => {
  it('writes JSON lines with the level as a word, an ISO time and the fields', () => {
    const { lines, log } = capture('info');
    log.debug('not at info');
    log.warn('disk slow', { docId: 'abcdefghijklmnop', ms: 12 });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn', msg: 'disk slow', docId: 'abcdefghijklmnop', ms: 12 });
    expect(String(lines[0]!.time)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('never writes a token, in the message or in any field', () => {
    const { lines, log } = capture();
    log.error(`failed for /api/events/x/calendar.ics?k=${TOKEN}`, { headers: { authorization: `Bearer ${TOKEN}` }, body: { token: TOKEN, note: `see #k=${TOKEN}` } });
    expect(JSON.stringify(lines)).not.toContain(TOKEN);
    expect(lines[0]).toMatchObject({ msg: 'failed for /api/events/x/calendar.ics?k=[redacted]', headers: { authorization: '[redacted]' }, body: { token: '[redacted]' } });
  });

  it('adds the request id, event and session to lines written while a request is answered, and stops after it', async () => {
    const { lines, log, requests } = capture();
    let outlived: Promise<void> = Promise.resolve();
    const scope = requests.run({ reqId: 'req-1', eventId: 'ops', sessionId: 'abcdefghijklmnop' }, () => {
      log.info('inside');
      // Work the request started that runs after it was answered (a timer, a commit).
      outlived = new Promise<void>((resolve) => setTimeout(() => (log.info('after the answer'), resolve()), 30));
      return new Promise<void>((resolve) => setTimeout(() => (log.info('still inside, later'), resolve()), 5));
    });
    await scope.result;
    scope.end();
    await outlived;
    log.info('outside');
    expect(lines.map((l) => [l.msg, l.reqId, l.eventId, l.sessionId])).toEqual([
      ['inside', 'req-1', 'ops', 'abcdefghijklmnop'],
      ['still inside, later', 'req-1', 'ops', 'abcdefghijklmnop'],
      ['after the answer', undefined, undefined, undefined],
      ['outside', undefined, undefined, undefined],
    ]);
  });
});
