/** Every IANA zone this browser knows, with `current` first if it is not among them (so a select never loses it). */
export function timeZoneOptions(current: string): string[] {
  const zones = (Intl as unknown as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? ['UTC'];
  // Intl lists UTC as "UTC" only in some engines; events default to it, so it is always offered.
  const all = zones.includes('UTC') ? zones : ['UTC', ...zones];
  return all.includes(current) ? all : [current, ...all];
}
