import { describe, expect, it } from 'vitest';
import { campaignWarnings, type WarningInputs } from './campaign-warnings.js';

const base: WarningInputs = {
  status: 'running',
  render: 'never',
  queued: 10,
  awaitingRender: 0,
  nodes: [{ render: false, paused: false }],
};

describe('campaignWarnings', () => {
  it('says nothing while work moves, or when there is none', () => {
    expect(campaignWarnings(base)).toEqual([]);
    expect(campaignWarnings({ ...base, nodes: [], queued: 0 })).toEqual([]);
    expect(campaignWarnings({ ...base, nodes: [], status: 'paused' })).toEqual([]);
  });

  it('says when no node is connected, or every node is paused', () => {
    expect(campaignWarnings({ ...base, nodes: [] })).toEqual([
      'no node is connected: nothing is fetched until one connects',
    ]);
    expect(campaignWarnings({ ...base, nodes: [{ render: true, paused: true }] })[0]).toMatch(
      /every connected node is paused/,
    );
  });

  it('says when pages need a browser and no active node renders', () => {
    expect(campaignWarnings({ ...base, render: 'always' })[0]).toMatch(/^its pages must be rendered/);
    expect(campaignWarnings({ ...base, render: 'auto' })).toEqual([]);
    expect(campaignWarnings({ ...base, render: 'auto', awaitingRender: 3 })[0]).toMatch(/^3 of its pages/);
    const renderers = [
      { render: false, paused: false },
      { render: true, paused: false },
    ];
    expect(campaignWarnings({ ...base, render: 'always', nodes: renderers })).toEqual([]);
    const pausedRenderer = [
      { render: false, paused: false },
      { render: true, paused: true },
    ];
    expect(campaignWarnings({ ...base, render: 'always', nodes: pausedRenderer })[0]).toMatch(/--render/);
  });
});
