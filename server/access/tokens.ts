import { createHash, randomBytes } from 'node:crypto';

/** 192 random bits, base64url: capability tokens (W3C guidance asks for at least 120). */
export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}
