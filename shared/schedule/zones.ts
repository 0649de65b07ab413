import { isKnownTimeZone } from './timezone.js';
import { windowsZoneToIana } from './windowsZones.js';

/**
 * The IANA zone a calendar's TZID (or X-WR-TIMEZONE) means, if Roundtable
 * knows it: an IANA name ("Europe/Berlin"), a Windows id or display name as
 * Outlook writes them ("W. Europe Standard Time"), or an IANA name behind an
 * old Mozilla/libical prefix ("/mozilla.org/20050126_1/Europe/Berlin").
 */
export function ianaZoneFor(name: string): string | undefined {
  const n = name.trim();
  if (!n || n.length > 200) return undefined;
  if (!n.startsWith('/') && isKnownTimeZone(n)) return n;
  const windows = windowsZoneToIana(n);
  if (windows) return windows;
  const parts = n.split('/').filter(Boolean);
  for (let k = Math.min(3, parts.length); k >= 2; k--) {
    const candidate = parts.slice(-k).join('/');
    if (isKnownTimeZone(candidate)) return candidate;
  }
  return undefined;
}
