import { describe, expect, it } from 'vitest';
import { LeaseWindows } from './lease-windows.js';

describe('LeaseWindows', () => {
  it('starts small and grows by one per answered job, up to what the node declared', () => {
    const windows = new LeaseWindows({ initial: 2 });
    const w = windows.of('n1');
    expect(windows.allowance(w, 16)).toBe(2);
    for (let i = 0; i < 3; i++) windows.answered(w, 16);
    expect(windows.allowance(w, 16)).toBe(5);
    for (let i = 0; i < 40; i++) windows.answered(w, 16);
    expect(windows.allowance(w, 16)).toBe(16);
    expect(windows.allowance(w, 4)).toBe(4);
  });

  it('halves on a lapse and, at zero, holds a node off for the cool-down, then lets it prove itself with one job', () => {
    const windows = new LeaseWindows({ initial: 2, cooldownMs: 1000 });
    const w = windows.of('hoarder');
    windows.lapsed(w, 0);
    expect(windows.allowance(w, 64, 0)).toBe(1);
    windows.lapsed(w, 10);
    expect(windows.allowance(w, 64, 500)).toBe(0);
    expect(windows.allowance(w, 64, 1010)).toBe(1);
  });

  it('remembers a node across lookups (a reconnect does not reset it) and forgets the least recently seen first', () => {
    const windows = new LeaseWindows({ initial: 2, maxNodes: 2 });
    windows.lapsed(windows.of('a'));
    windows.of('b');
    expect(windows.of('a').size).toBe(1);
    windows.of('c');
    expect(windows.of('a').size).toBe(1);
    expect(windows.of('b').size).toBe(2);
  });

  it('counts a node proven after enough answers', () => {
    const windows = new LeaseWindows({ provenAfter: 2 });
    const w = windows.of('n');
    windows.answered(w, 4);
    expect(windows.proven(w)).toBe(false);
    windows.answered(w, 4);
    expect(windows.proven(w)).toBe(true);
  });
});
