import { describe, expect, it } from 'vitest';
import { announceSessionsBack, onSessionBack } from './sessionReturn.js';

describe('sessionReturn', () => {
  it('calls the listeners of the sessions announced, and no others; a stopped listener hears nothing', () => {
    const page = new EventTarget();
    const heard: string[] = [];
    const stopA = onSessionBack(page, 'a', () => heard.push('a1'));
    onSessionBack(page, 'a', () => heard.push('a2'));
    const stopB = onSessionBack(page, 'b', () => heard.push('b'));
    announceSessionsBack(page, ['a']);
    expect(heard).toEqual(['a1', 'a2']);
    stopA();
    announceSessionsBack(page, ['a', 'b', 'c']);
    expect(heard).toEqual(['a1', 'a2', 'a2', 'b']);
    stopB();
    // Another page's announcement is not this page's.
    announceSessionsBack(new EventTarget(), ['a']);
    expect(heard).toEqual(['a1', 'a2', 'a2', 'b']);
  });

  it('a listener that stops itself while being called does not break the others', () => {
    const page = new EventTarget();
    const heard: string[] = [];
    const stop = onSessionBack(page, 'x', () => {
      heard.push('first');
      stop();
    });
    onSessionBack(page, 'x', () => heard.push('second'));
    announceSessionsBack(page, ['x']);
    announceSessionsBack(page, ['x']);
    expect(heard).toEqual(['first', 'second', 'second']);
  });
});
