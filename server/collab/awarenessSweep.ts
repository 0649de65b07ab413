import * as awarenessProtocol from 'y-protocols/awareness';

/** How often outdated presence is looked for: y-protocols' own period (outdatedTimeout / 10). */
export const AWARENESS_SWEEP_MS = awarenessProtocol.outdatedTimeout / 10;

/**
 * y-protocols starts an interval in every Awareness (every 3 s, and it keeps
 * the process awake): two per room, so 500 idle sessions woke the server 333
 * times a second. The server's own local state is always null, so all that
 * interval does is drop remote states nobody renewed for 30 s; the registry's
 * one sweep over every room (`sweepOutdated`) does that instead.
 */
export function withoutOwnTimer(awareness: awarenessProtocol.Awareness): awarenessProtocol.Awareness {
  clearInterval((awareness as unknown as { _checkInterval: ReturnType<typeof setInterval> })._checkInterval);
  return awareness;
}

/** Removes the remote states not renewed for `outdatedTimeout`, exactly as y-protocols' interval does. */
export function sweepOutdated(awareness: awarenessProtocol.Awareness, now = Date.now()): void {
  const outdated: number[] = [];
  for (const [clientId, meta] of awareness.meta) {
    if (clientId !== awareness.clientID && awarenessProtocol.outdatedTimeout <= now - meta.lastUpdated && awareness.states.has(clientId)) outdated.push(clientId);
  }
  if (outdated.length > 0) awarenessProtocol.removeAwarenessStates(awareness, outdated, 'timeout');
}
