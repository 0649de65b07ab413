import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Connection, type CollabSocket } from './connection.js';

/** A socket that records pings and whether it was dropped. */
function fakeSocket(opts: { canPing?: boolean } = {}) {
  const seen = { pings: 0, terminated: 0, closes: [] as number[] };
  const socket: CollabSocket = {
    send: () => {},
    close: (code) => void seen.closes.push(code),
    isOpen: () => seen.terminated === 0 && seen.closes.length === 0,
    ...(opts.canPing === false ? {} : { ping: () => void seen.pings++, terminate: () => void seen.terminated++ }),
  };
  return { socket, seen };
}

describe('Connection.checkAlive: does a socket that holds something still answer?', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('is true once the client answers the ping, and leaves the socket alone', async () => {
    const { socket, seen } = fakeSocket();
    const conn = new Connection(1, socket, 'edit', 'h', false);
    const check = conn.checkAlive(5000);
    expect(seen.pings).toBe(1);
    vi.advanceTimersByTime(4000);
    conn.answered();
    await expect(check).resolves.toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(conn.closed).toBe(false);
    expect(seen.terminated).toBe(0);
  });

  it('drops the socket when no answer comes in time (a network gone silently), and is false', async () => {
    const { socket, seen } = fakeSocket();
    const conn = new Connection(1, socket, 'edit', 'h', false);
    const check = conn.checkAlive(5000);
    vi.advanceTimersByTime(4999);
    expect(conn.closed).toBe(false);
    vi.advanceTimersByTime(1);
    await expect(check).resolves.toBe(false);
    expect(conn.closed).toBe(true);
    expect(seen.terminated).toBe(1);
    // A late pong changes nothing.
    conn.answered();
    expect(conn.closed).toBe(true);
  });

  it('runs one check at a time: asking again while one is under way sends no second ping', async () => {
    const { socket, seen } = fakeSocket();
    const conn = new Connection(1, socket, 'edit', 'h', false);
    const first = conn.checkAlive(5000);
    expect(conn.checkAlive(5000)).toBe(first);
    expect(seen.pings).toBe(1);
    conn.answered();
    await first;
    // Once settled, a new check pings again.
    void conn.checkAlive(5000);
    expect(seen.pings).toBe(2);
  });

  it('a connection that closes while a check runs is not dropped again: the check just says it is gone', async () => {
    const { socket, seen } = fakeSocket();
    const conn = new Connection(1, socket, 'edit', 'h', false);
    const check = conn.checkAlive(5000);
    conn.close(4400, 'refused');
    vi.advanceTimersByTime(5000);
    await expect(check).resolves.toBe(false);
    expect(seen.terminated).toBe(0);
    expect(seen.closes).toEqual([4400]);
  });

  it('counts a socket that cannot be pinged as there while it is open, and a closed connection as gone', async () => {
    const { socket } = fakeSocket({ canPing: false });
    const conn = new Connection(1, socket, 'edit', 'h', false);
    await expect(conn.checkAlive(5000)).resolves.toBe(true);
    conn.close(4400, 'x');
    await expect(conn.checkAlive(5000)).resolves.toBe(false);
  });
});
