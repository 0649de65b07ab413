import { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import { hidePassword } from '../storage/hidePassword.js';

/**
 * A Redis connection for commands (leases, shared limits), apart from the
 * bus's pub/sub pair. Commands fail at once while Redis is unreachable
 * instead of queueing: a lease must lapse, not wait, and a limiter falls
 * back to its local count.
 */
export async function connectRedisCommands(url: string, log: Logger, timeoutMs = 5000): Promise<Redis> {
  const redis = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: (n) => Math.min(n * 100, 2000) });
  redis.on('error', (err: Error) => log.warn('redis connection error', { error: err.message }));
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([redis.connect(), new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)))]);
  } catch (err) {
    redis.disconnect();
    throw new Error(`Redis at ${hidePassword(url)} is unreachable: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
