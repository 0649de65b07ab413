import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ERRORS } from '../../shared/errors.js';
import { DomainError } from '../domainError.js';
import { readZip } from './readZip.js';

const limits = { maxEntries: 10, maxEntryBytes: 1024 * 1024, maxTotalBytes: 2 * 1024 * 1024 };
const refusal = (data: Uint8Array) => {
  try {
    readZip(data, limits);
  } catch (err) {
    expect(err).toBeInstanceOf(DomainError);
    const e = err as DomainError;
    // The code and its parameters say what went wrong; a detail names the file where one is to blame.
    return { status: ERRORS[e.code].status, code: e.code, params: e.params, file: e.details?.[0]?.path };
  }
  throw new Error('expected a refusal');
};

/** Rewrites every declared uncompressed size (central directory and local headers) to `size`. */
function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = view.getUint32(i, true);
    if (sig === 0x02014b50) view.setUint32(i + 24, size, true);
    if (sig === 0x04034b50) view.setUint32(i + 22, size, true);
  }
  return out;
}

describe('readZip', () => {
  it('unpacks files (stored and deflated) and skips directories', () => {
    const zip = zipSync({ 'pads/': new Uint8Array(), 'pads/a.md': strToU8('# A'), 'b.txt': [strToU8('b'.repeat(5000)), { level: 0 }], 'empty.txt': new Uint8Array() });
    expect(readZip(zip, limits).map((e) => [e.name, e.bytes.length])).toEqual([
      ['pads/a.md', 3],
      ['b.txt', 5000],
      ['empty.txt', 0],
    ]);
  });

  it('refuses before unpacking anything: too many files, a file declared too large, too much in total', () => {
    expect(refusal(zipSync(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`${i}.md`, strToU8('x')]))))).toEqual({ status: 413, code: 'too_many_files', params: { max: 10 }, file: undefined });
    expect(refusal(zipSync({ 'big.txt': new Uint8Array(1024 * 1024 + 1) }))).toEqual({ status: 413, code: 'too_large', params: { maxMiB: 1 }, file: 'big.txt' });
    expect(refusal(zipSync({ 'a.txt': new Uint8Array(1024 * 1024), 'b.txt': new Uint8Array(1024 * 1024), 'c.txt': strToU8('x') }))).toMatchObject({ status: 413, code: 'too_large', params: { maxMiB: 2 } });
  });

  it('stops a zip bomb that lies about its size the moment it unpacks past what it declared', () => {
    const bomb = lieAboutSizes(zipSync({ 'bomb.txt': new Uint8Array(64 * 1024 * 1024) }, { level: 9 }), 100);
    expect(bomb.length).toBeLessThan(100 * 1024);
    expect(refusal(bomb)).toEqual({ status: 413, code: 'too_large', params: { maxMiB: 2 }, file: 'bomb.txt' });
  });

  it('refuses what is not a zip', () => {
    expect(refusal(strToU8('PK but not really'))).toMatchObject({ status: 422, code: 'invalid_zip', params: { reason: expect.stringMatching(/not a zip file/) } });
  });
});
