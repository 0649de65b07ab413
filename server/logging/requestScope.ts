import { AsyncLocalStorage } from 'node:async_hooks';

/** What a log line written while answering a request carries about it. */
export interface RequestFields {
  reqId: string;
  eventId?: string;
  sessionId?: string;
}

/**
 * The request being answered, for every log line written on its behalf,
 * without passing it through the call sites: the logger reads it. Work a
 * request started that outlives it (a timer, a commit it scheduled) stops
 * carrying its id once it is answered.
 */
export class RequestScope {
  private readonly storage = new AsyncLocalStorage<{ fields: RequestFields; done: boolean }>();

  run<T>(fields: RequestFields, fn: () => T): { result: T; end(): void } {
    const scope = { fields, done: false };
    return { result: this.storage.run(scope, fn), end: () => void (scope.done = true) };
  }

  current(): RequestFields | undefined {
    const scope = this.storage.getStore();
    return scope && !scope.done ? scope.fields : undefined;
  }
}
