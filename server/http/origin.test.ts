import { describe, expect, it } from 'vitest';
import { isAllowedOrigin, normaliseOrigin } from './origin.js';

describe('isAllowedOrigin', () => {
  const byHost = { publicUrl: null, allowedOrigins: [] };
  it('allows requests without Origin (not a browser) and the request’s own host', () => {
    expect(isAllowedOrigin(undefined, 'notes.local:3000', byHost)).toBe(true);
    expect(isAllowedOrigin('http://notes.local:3000', 'notes.local:3000', byHost)).toBe(true);
    expect(isAllowedOrigin('https://NOTES.local:3000', 'Notes.Local:3000', byHost)).toBe(true);
  });
  it('refuses other hosts, other ports, "null", non-web schemes and garbage', () => {
    for (const o of ['http://evil.example', 'http://notes.local:3001', 'null', 'file:///x', 'chrome-extension://abc', '', 'not a url']) {
      expect(isAllowedOrigin(o, 'notes.local:3000', byHost), o).toBe(false);
    }
    expect(isAllowedOrigin('http://notes.local:3000', undefined, byHost)).toBe(false);
  });
  it('with PUBLIC_URL, only its origin (and ALLOWED_ORIGINS) is the app’s own', () => {
    const policy = { publicUrl: 'https://notes.example.org/base', allowedOrigins: ['https://other.example.org'] };
    expect(isAllowedOrigin('https://notes.example.org', 'internal:3000', policy)).toBe(true);
    expect(isAllowedOrigin('https://other.example.org', 'internal:3000', policy)).toBe(true);
    expect(isAllowedOrigin('http://internal:3000', 'internal:3000', policy)).toBe(false);
    expect(isAllowedOrigin('http://notes.example.org', 'internal:3000', policy)).toBe(false);
  });
});

describe('normaliseOrigin', () => {
  it('keeps scheme, host and port; refuses paths, queries and other schemes', () => {
    expect(normaliseOrigin(' https://Notes.Example.org/ ')).toBe('https://notes.example.org');
    expect(normaliseOrigin('http://localhost:5173')).toBe('http://localhost:5173');
    expect(normaliseOrigin('https://x.org/path')).toBeNull();
    expect(normaliseOrigin('https://x.org/?q=1')).toBeNull();
    expect(normaliseOrigin('ftp://x.org')).toBeNull();
    expect(normaliseOrigin('x.org')).toBeNull();
  });
});
