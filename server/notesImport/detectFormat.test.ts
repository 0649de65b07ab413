import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeText, detectFormat, sniffFormat } from './detectFormat.js';

const dir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/fixtures/etherpad');

describe('detectFormat', () => {
  it('takes the format parameter first, then a telling Content-Type, then the file name, then the bytes', () => {
    expect(detectFormat({ format: 'txt', contentType: 'text/html', text: '# x' })).toBe('txt');
    expect(detectFormat({ format: 'docx', text: 'x' })).toBeNull();
    expect(detectFormat({ contentType: 'text/markdown; charset=utf-8', text: 'plain' })).toBe('md');
    expect(detectFormat({ contentType: 'application/pdf', text: 'x' })).toBeNull();
    expect(detectFormat({ contentType: 'application/octet-stream', filename: 'AUS-ops-x.etherpad', text: 'x' })).toBe('etherpad');
    expect(detectFormat({ contentType: 'text/plain', filename: 'notes.HTM', text: 'x' })).toBe('html');
    expect(detectFormat({ contentType: 'text/plain', text: null })).toBeNull();
  });

  it('sniffs each real Etherpad export as what it is, and HedgeDoc front matter as Markdown', () => {
    expect(sniffFormat(fs.readFileSync(path.join(dir, 'large-deployments.etherpad'), 'utf8'))).toBe('etherpad');
    expect(sniffFormat(fs.readFileSync(path.join(dir, 'large-deployments.html'), 'utf8'))).toBe('html');
    expect(sniffFormat(fs.readFileSync(path.join(dir, 'large-deployments.txt'), 'utf8'))).toBe('txt');
    expect(sniffFormat('---\ntitle: Ops\n---\nnotes')).toBe('md');
    expect(sniffFormat('Notes\n- a\n- b')).toBe('txt');
  });

  it('decodes UTF-8 (without its BOM) and nothing else', () => {
    expect(decodeText(new TextEncoder().encode('\uFEFF議事メモ'))).toBe('議事メモ');
    expect(decodeText(new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x00, 0x01]))).toBeNull();
    expect(decodeText(new Uint8Array([0x63, 0x61, 0x66, 0xe9]))).toBeNull();
  });
});
