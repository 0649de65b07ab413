import { expect, it } from 'vitest';
import type { ChildServer } from '../helpers/childServer.js';
import { describeScaleOut } from '../helpers/describeScaleOut.js';
import { api, createEventWithSession } from '../helpers/testServer.js';

async function status(base: string, path: string): Promise<number> {
  const res = await fetch(base + path, { redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}

describeScaleOut('guess limits shared between two processes', ({ servers }) => {
  it('wrong join codes tried on A and B add up: after 30 in all, both answer 429, right codes included', async () => {
    const [a, b] = (await servers(2)) as [ChildServer, ChildServer];
    const fx = await createEventWithSession(a.url, 'Shared guess limits');
    const good = await api<{ code: string }>(a.url, 'POST', `/api/sessions/${fx.session.id}/join-code`, { token: fx.event.tokens.edit, body: { role: 'view' } });
    expect(good.status).toBe(201);
    // Half the guesses on each process: neither alone reaches its limit of 30.
    for (let i = 0; i < 15; i++) expect(await status(a.url, `/j/AAAA-AA${String(i).padStart(2, '0')}`)).toBe(404);
    for (let i = 0; i < 14; i++) expect(await status(b.url, `/j/BBBB-BB${String(i).padStart(2, '0')}`)).toBe(404);
    expect(await status(b.url, `/j/${good.body.code}`)).toBe(302);
    expect(await status(b.url, '/j/CCCC-CCCC')).toBe(404);
    expect(await status(a.url, `/j/${good.body.code}`)).toBe(429);
    expect(await status(b.url, `/j/${good.body.code}`)).toBe(429);
  });
});
