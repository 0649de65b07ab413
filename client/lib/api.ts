import type { ApiErrorBody } from '../../shared/errors.js';

/**
 * A failed request: the server's error code and parameters (shared/errors.ts),
 * or status 0 and code `network` when the server could not be reached. Show
 * it with errorMessage() (client/lib/errorMessage.ts), never with `message`,
 * which is the server's English for API users.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: ApiErrorBody['error']['details'],
    readonly params?: ApiErrorBody['error']['params'],
  ) {
    super(message);
  }
}

/** An error answer as an ApiError; bodies that are not ours keep the status with code `error`. */
function errorFromResponse(res: Response, text: string): ApiError {
  let err: ApiErrorBody['error'] | undefined;
  try {
    err = text ? (JSON.parse(text) as ApiErrorBody | null)?.error : undefined;
  } catch {
    err = undefined;
  }
  return new ApiError(res.status, typeof err?.code === 'string' ? err.code : 'error', err?.message ?? res.statusText, err?.details, err?.params);
}

/** Typed JSON fetch with the capability token as a Bearer header. */
export async function apiFetch<T>(path: string, opts: { token?: string | null; method?: string; body?: unknown; raw?: { body: string | Blob; type: string } } = {}): Promise<T> {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: BodyInit | undefined;
  if (opts.raw) {
    headers['content-type'] = opts.raw.type;
    body = opts.raw.body;
  } else if (opts.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  let res: Response;
  try {
    res = await fetch(path, { method: opts.method ?? 'GET', headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) throw errorFromResponse(res, text);
  try {
    return (text ? JSON.parse(text) : null) as T;
  } catch {
    return null as T;
  }
}

/** Downloads an export with the token in a header (never in the URL). */
export async function download(path: string, token: string, fallbackName: string): Promise<void> {
  let res: Response;
  try {
    res = await fetch(path, { headers: { authorization: `Bearer ${token}` } });
  } catch {
    throw new ApiError(0, 'network', 'network error');
  }
  if (!res.ok) throw errorFromResponse(res, await res.text());
  const blob = await res.blob();
  const cd = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd)?.[1];
  const name = star ? decodeURIComponent(star) : (/filename="([^"]+)"/.exec(cd)?.[1] ?? fallbackName);
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
