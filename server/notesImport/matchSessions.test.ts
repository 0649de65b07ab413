import { describe, expect, it } from 'vitest';
import { matchSessions, normaliseTitle, titleOfFilename } from './matchSessions.js';

const sessions = [
  { id: 's1', title: 'Large Deployments Team' },
  { id: 's2', title: 'NFV/Telco Working Group' },
  { id: 's3', title: 'Scientific WG' },
  { id: 's4', title: 'Parallel File Systems (Scientific WG)' },
  { id: 's5', title: 'Japan Ops Workshop Report / 国内OpsWorkshop報告' },
  { id: 's6', title: 'Nova Scheduler & Cells Feedback' },
  { id: 's7', title: 'Ceph & Storage' },
];
const match = (file: string, titles: string[] = []) => matchSessions([{ file, titles }], sessions)[0]!;

describe('matching pads to sessions by title', () => {
  it('normalises case, punctuation and width', () => {
    expect(normaliseTitle('ＮＦＶ／Telco  Working-Group!')).toBe('nfv telco working group');
    expect(titleOfFilename('pads/AUS-ops-large-deployments.etherpad')).toBe('large deployments');
    expect(titleOfFilename('BOS-forum-ceph_and_storage.md')).toBe('ceph and storage');
  });

  it('matches exact titles, pad names and unique partial titles', () => {
    expect(match('Large Deployments Team.md')).toEqual({ file: 'Large Deployments Team.md', sessionId: 's1' });
    expect(match('AUS-ops-nfv-telco.etherpad').sessionId).toBe('s2');
    expect(match('notes.etherpad', ['AUS-ops-nova-scheduler']).sessionId).toBe('s6');
    expect(match('国内OpsWorkshop報告.md').sessionId).toBe('s5');
    // An exact title wins over a partial one.
    expect(match('parallel-file-systems-scientific-wg.html').sessionId).toBe('s4');
    expect(match('scientific wg.txt').sessionId).toBe('s3');
  });

  it('does not guess: ambiguous, unknown, short and duplicate files match nothing, with the reason', () => {
    expect(match('AUS-ops-wg.md')).toMatchObject({ sessionId: null, why: 'no_title_match', reason: 'no session has this title' });
    expect(match('storage.md')).toMatchObject({ sessionId: 's7' });
    expect(match('team working.md')).toMatchObject({ sessionId: null, reason: 'no session has this title' });
    const both = matchSessions([{ file: 'a/ldt.md', titles: ['Large Deployments Team'] }, { file: 'b/AUS-ops-large-deployments.etherpad', titles: [] }], sessions);
    expect(both).toEqual([
      { file: 'a/ldt.md', sessionId: null, why: 'same_session', names: ['b/AUS-ops-large-deployments.etherpad'], reason: 'b/AUS-ops-large-deployments.etherpad matches the same session' },
      { file: 'b/AUS-ops-large-deployments.etherpad', sessionId: null, why: 'same_session', names: ['a/ldt.md'], reason: 'a/ldt.md matches the same session' },
    ]);
    expect(matchSessions([{ file: 'scientific.md', titles: [] }], sessions)[0]).toMatchObject({ sessionId: null, why: 'ambiguous', names: ['Scientific WG', 'Parallel File Systems (Scientific WG)'], reason: expect.stringMatching(/could be any of: Scientific WG; Parallel File Systems/) });
  });
});
