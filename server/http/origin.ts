import type { Request } from 'express';

/** The base URL links are built on: the configured public URL, else the request's own host. */
export function requestOrigin(publicUrl: string | null, req: Request): string {
  return publicUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}
