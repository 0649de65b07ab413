import { createApiClient, type ApiClient } from '../../shared/api/client.js';

export { ApiError } from '../../shared/api/client.js';

/** The page's API client (shared/api/client.ts) for a link's token: same origin, never cached. */
export function apiClient(token: string | null | undefined): ApiClient {
  return createApiClient({ token: token ?? null, init: { cache: 'no-store' } });
}

/** Downloads an export with the token in a header (never in the URL). */
export async function download(path: string, token: string, fallbackName: string): Promise<void> {
  const res = await createApiClient({ token }).send(path);
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
