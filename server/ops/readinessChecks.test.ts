import { describe, expect, it } from 'vitest';
import type { Readiness } from '../storage/storageHealth.js';
import { ReadinessChecks } from './readinessChecks.js';

const ok = { ok: true };
const storageReady = (): Readiness => ({ ready: true, checks: { storage: ok, migrations: ok, files: ok, lastWrite: ok, draining: ok } });

describe('ReadinessChecks', () => {
  it('is ready only when storage and every added check pass; a check that throws fails with its message', () => {
    const r = new ReadinessChecks(storageReady);
    expect(r.readiness().ready).toBe(true);
    let redisUp = true;
    r.add('redis', () => (redisUp ? ok : { ok: false, detail: 'no answer to PING within 1 s' }));
    expect(r.readiness()).toEqual({ ready: true, checks: { ...storageReady().checks, redis: ok } });
    redisUp = false;
    expect(r.readiness()).toMatchObject({ ready: false, checks: { storage: ok, redis: { ok: false, detail: 'no answer to PING within 1 s' } } });
    r.add('broken', () => {
      throw new Error('boom');
    });
    expect(r.readiness().checks.broken).toEqual({ ok: false, detail: 'boom' });
    expect(() => r.add('storage', () => ok)).toThrow(/exists already/);
  });

  it('storage going unready makes the whole answer unready', () => {
    const r = new ReadinessChecks(() => ({ ...storageReady(), ready: false, checks: { ...storageReady().checks, draining: { ok: false, detail: 'shutting down' } } }));
    r.add('redis', () => ok);
    expect(r.readiness().ready).toBe(false);
  });
});
