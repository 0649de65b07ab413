/**
 * URLs as they may be logged: the values of `k` (the calendar feed's token)
 * and `token` (the WebSocket's) replaced. Anything that logs a request URL
 * must pass it through here first.
 */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:k|token)=)[^&#]*/gi, '$1[redacted]');
}
