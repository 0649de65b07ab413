import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('configuration of scale-out (DATABASE_URL, REDIS_URL)', () => {
  it('defaults to SQLite and one process', () => {
    const c = loadConfig({});
    expect(c.databaseUrl).toBeNull();
    expect(c.redisUrl).toBeNull();
    expect(loadConfig({ DATABASE_URL: '', REDIS_URL: '' }).databaseUrl).toBeNull();
  });

  it('takes a postgres:// and a redis:// URL', () => {
    const c = loadConfig({ DATABASE_URL: 'postgres://rt:pw@db:5432/rt', REDIS_URL: 'redis://cache:6379' });
    expect(c.databaseUrl).toBe('postgres://rt:pw@db:5432/rt');
    expect(c.redisUrl).toBe('redis://cache:6379');
    expect(loadConfig({ DATABASE_URL: 'postgresql://db/rt' }).databaseUrl).toBe('postgresql://db/rt');
  });

  it('refuses other schemes and Redis without PostgreSQL, naming the variable', () => {
    expect(() => loadConfig({ DATABASE_URL: 'mysql://db/rt' })).toThrow(/DATABASE_URL: must be a URL like postgres:\/\//);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://rt', REDIS_URL: 'http://cache' })).toThrow(/REDIS_URL: must be a URL like redis:\/\//);
    expect(() => loadConfig({ REDIS_URL: 'redis://cache:6379' })).toThrow(/REDIS_URL: REDIS_URL \(several processes\) needs DATABASE_URL too/);
  });
});
