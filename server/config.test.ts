import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

describe('loadConfig', () => {
  it('defaults SHUTDOWN_TIMEOUT to 10 s and ALLOWED_ORIGINS to none', () => {
    const c = loadConfig({});
    expect(c.shutdownTimeoutMs).toBe(10_000);
    expect(c.allowedOrigins).toEqual([]);
  });
  it('parses ALLOWED_ORIGINS as comma-separated origins', () => {
    expect(loadConfig({ ALLOWED_ORIGINS: 'https://a.example.org, http://localhost:5173/' }).allowedOrigins).toEqual([
      'https://a.example.org',
      'http://localhost:5173',
    ]);
    expect(loadConfig({ SHUTDOWN_TIMEOUT: '25000' }).shutdownTimeoutMs).toBe(25_000);
  });
  it('READER_RELAY_MS: off by default, a cap in ms when set, refused when negative', () => {
    expect(loadConfig({}).readerRelayMs).toBe(0);
    expect(loadConfig({ READER_RELAY_MS: '50' }).readerRelayMs).toBe(50);
    expect(() => loadConfig({ READER_RELAY_MS: '-1' })).toThrow(/READER_RELAY_MS/);
  });
  it('STORAGE_WRITER: the event loop with the fsync on the pool by default, a writer thread when asked, nothing else', () => {
    expect(loadConfig({}).storageWriter).toBe('event-loop');
    expect(loadConfig({ STORAGE_WRITER: 'thread' }).storageWriter).toBe('thread');
    expect(() => loadConfig({ STORAGE_WRITER: 'worker' })).toThrow(/STORAGE_WRITER/);
  });
  it('refuses values that are not origins, and a timeout below a second, listing each problem', () => {
    let message = '';
    try {
      loadConfig({ ALLOWED_ORIGINS: 'https://a.example.org/path,*', SHUTDOWN_TIMEOUT: '5' });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('ALLOWED_ORIGINS: "https://a.example.org/path" is not an origin');
    expect(message).toContain('ALLOWED_ORIGINS: "*" is not an origin');
    expect(message).toContain('SHUTDOWN_TIMEOUT');
  });
});
