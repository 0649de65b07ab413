import { useEffect, useRef } from 'react';

/**
 * Calls `onBack` when the connection comes back: on the browser's `online`
 * event, and when `reachable` (the page's own view, e.g. its collaboration
 * socket) turns true again after being false.
 */
export function useBackOnline(onBack: () => void, reachable = true): void {
  const latest = useRef(onBack);
  useEffect(() => {
    latest.current = onBack;
  }, [onBack]);
  useEffect(() => {
    const back = () => latest.current();
    window.addEventListener('online', back);
    return () => window.removeEventListener('online', back);
  }, []);
  const was = useRef(reachable);
  useEffect(() => {
    if (reachable && !was.current) latest.current();
    was.current = reachable;
  }, [reachable]);
}
