import { describe, expect, it } from 'vitest';
import { chooseSession, type ChoosableSession } from './session-choice.js';

interface FakeSession extends ChoosableSession {
  name: string;
  concurrency: number;
  busy: number;
}

const session = (name: string, concurrency: number, render = false, proven = true): FakeSession => ({
  name,
  nodeId: name,
  ownerId: `owner-${name}`,
  addressPrefix: `net-${name}`,
  quarantined: () => false,
  proven: () => proven,
  concurrency,
  busy: 0,
  lastJobAt: 0,
  capabilities: { render },
  freeSlots() {
    return this.concurrency - this.busy;
  },
  load() {
    return this.busy / this.concurrency;
  },
});

/** Sends `jobs` jobs one after another, each finishing before the next (idle nodes), and counts who got them. */
function dispatch(sessions: FakeSession[], jobs: number): Record<string, number> {
  const counts: Record<string, number> = {};
  for (let i = 1; i <= jobs; i++) {
    const chosen = chooseSession(sessions, { render: false });
    if (!chosen) throw new Error('no session');
    chosen.lastJobAt = i;
    counts[chosen.name] = (counts[chosen.name] ?? 0) + 1;
  }
  return counts;
}

describe('chooseSession', () => {
  it('takes turns among idle nodes with as many free slots', () => {
    expect(dispatch([session('a', 2), session('b', 2), session('c', 2)], 30)).toEqual({
      a: 10,
      b: 10,
      c: 10,
    });
  });

  it('prefers the least loaded node, so a node in slow start is not starved by nodes with many slots', () => {
    const a = session('a', 2);
    const b = session('b', 4);
    b.busy = 1;
    expect(chooseSession([a, b], { render: false })?.name).toBe('a');
    a.busy = 1;
    expect(chooseSession([a, b], { render: false })?.name).toBe('b');
  });

  it('skips full nodes, and nodes that cannot render for jobs that need it', () => {
    const a = session('a', 2);
    const r = session('r', 1, true);
    a.lastJobAt = 0;
    r.lastJobAt = 5;
    expect(chooseSession([a, r], { render: true })?.name).toBe('r');
    r.busy = 1;
    expect(chooseSession([a, r], { render: true })).toBeUndefined();
    a.busy = 2;
    expect(chooseSession([a, r], { render: false })).toBeUndefined();
    expect(chooseSession([], { render: false })).toBeUndefined();
  });

  it('never gives a job back to a node that let a lease of it lapse', () => {
    const a = session('a', 4);
    const b = session('b', 1);
    expect(chooseSession([a, b], { render: false, avoid: ['a'] })?.name).toBe('b');
    b.busy = 1;
    expect(chooseSession([a, b], { render: false, avoid: ['a'] })).toBeUndefined();
  });

  it('keeps jobs that stall a host for proven nodes while one is connected, even a busy one', () => {
    const fresh = session('fresh', 8, false, false);
    const proven = session('proven', 1);
    expect(chooseSession([fresh, proven], { render: false, critical: true })?.name).toBe('proven');
    proven.busy = 1;
    expect(chooseSession([fresh, proven], { render: false, critical: true })).toBeUndefined();
    expect(chooseSession([fresh, proven], { render: false })?.name).toBe('fresh');
    expect(chooseSession([fresh], { render: false, critical: true })?.name).toBe('fresh');
  });

  it('gives a redundant fetch only to nodes of other owners and networks, and quarantined nodes only those', () => {
    const a = session('a', 2);
    const b = { ...session('b', 2), quarantined: () => true };
    const c = { ...session('c', 2), addressPrefix: 'net-a' };
    expect(chooseSession([a, b, c], { render: false })?.name).toBe('a');
    expect(chooseSession([b], { render: false })).toBeUndefined();
    const verify = { render: false, verification: true, avoidOwners: ['owner-a'], avoidNetworks: ['net-a'] };
    expect(chooseSession([a, b, c], verify)?.name).toBe('b');
    expect(chooseSession([a, c], verify)).toBeUndefined();
  });
});
