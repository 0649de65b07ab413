import { describe, expect, it } from 'vitest';
import { asciiFilename, contentDisposition, sanitizeFilename } from './filename.js';

describe('download filenames', () => {
  it('strip path separators, traversal, control characters, quotes and reserved names', () => {
    expect(sanitizeFilename('../../etc/passwd.md')).toBe('etc passwd.md');
    expect(sanitizeFilename('a\\b/c:d*e?f"g<h>i|j.txt')).toBe('a b c d e f g h i j.txt');
    expect(sanitizeFilename('line\r\nbreak\u0000.pdf')).toBe('line break.pdf');
    expect(sanitizeFilename('CON.md')).toBe('minutes-CON.md');
    expect(sanitizeFilename('.hidden.md')).toBe('hidden.md');
    expect(sanitizeFilename('...md')).toBe('minutes.md');
    expect(sanitizeFilename('minutes.exe.js<script>')).toBe('minutes.exe.jsscript');
    expect([...sanitizeFilename(`${'長'.repeat(400)}.pdf`)].length).toBe(154);
  });

  it('keep Japanese in the UTF-8 name and give old clients an ASCII fallback', () => {
    expect(sanitizeFilename('ops-tokyo - 国内OpsWorkshop報告.md')).toBe('ops-tokyo - 国内OpsWorkshop報告.md');
    expect(asciiFilename('ops-tokyo - 国内OpsWorkshop報告.md')).toBe('ops-tokyo-OpsWorkshop.md');
    expect(asciiFilename('議事録.pdf')).toBe('download.pdf');
  });

  it('Content-Disposition: attachment with a quoted ASCII filename and an RFC 5987 filename*', () => {
    const cd = contentDisposition(`Ops "Meetup" 東京 (day 1) it's *.md`);
    expect(cd).toBe(`attachment; filename="Ops-Meetup-(day-1)-it's.md"; filename*=UTF-8''Ops%20Meetup%20%E6%9D%B1%E4%BA%AC%20%28day%201%29%20it%27s.md`);
    const star = /filename\*=UTF-8''(.+)$/.exec(cd)![1]!;
    // Only RFC 5987 attr-chars or percent-escapes.
    expect(star).toMatch(/^[A-Za-z0-9!#$&+\-.^_`|~%]+$/);
    expect(decodeURIComponent(star)).toBe(`Ops Meetup 東京 (day 1) it's.md`);
  });
});
