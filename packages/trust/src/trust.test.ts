import { describe, expect, it } from 'vitest';
import {
  afterCanary,
  afterVote,
  NEW_NODE_TRUST,
  settleDecision,
  standingOfTrust,
  canaryAnswerHolds,
  canaryFor,
  canaryPageHtml,
  checkFor,
  countVotes,
  decodeFingerprint,
  encodeFingerprint,
  fingerprintsAgree,
  PRIOR_TRUST,
  standingOf,
  textFingerprint,
  trustLowerBound,
  trustMean,
  withEvidence,
  type TrustEvidence,
  type VoteOutcome,
} from './index.js';

const article =
  'The river rose through the night and by morning the lower town was under water. Volunteers filled sandbags at ' +
  'the school while the council opened the sports hall for families who had to leave. Forecasters expect the rain ' +
  'to ease by Thursday, but the ground is saturated and more flooding is possible along the valley.';
const other =
  'A new recipe for sourdough needs only flour, water and salt, and a starter kept alive in the fridge between ' +
  'bakes. Fold the dough every half hour, let it rise overnight, then bake it hot in a covered pot.';

const scoreOf = (evidence: TrustEvidence[]) => evidence.reduce(withEvidence, PRIOR_TRUST);

describe('trust score', () => {
  it('moves with evidence, and its lower bound stays low until there is enough of it', () => {
    expect(trustMean(PRIOR_TRUST)).toBe(0.5);
    const few = scoreOf(['agreed', 'agreed']);
    const many = scoreOf(Array<TrustEvidence>(20).fill('agreed'));
    expect(trustMean(few)).toBeGreaterThan(0.7);
    expect(trustLowerBound(few)).toBeLessThan(0.6);
    expect(trustLowerBound(many)).toBeGreaterThan(0.85);
    expect(trustMean(scoreOf(['outvoted', 'canary-failed']))).toBeLessThan(0.3);
  });
});

describe('standing', () => {
  it('is probation until enough checks pass, trusted after, quarantined on bad evidence, banned on proof', () => {
    const good = scoreOf(Array<TrustEvidence>(10).fill('agreed'));
    expect(standingOf({ score: good, checksPassed: 3, proven: false })).toBe('probation');
    expect(standingOf({ score: good, checksPassed: 10, proven: false })).toBe('trusted');
    expect(standingOf({ score: scoreOf(['outvoted']), checksPassed: 0, proven: false })).toBe('quarantined');
    expect(standingOf({ score: good, checksPassed: 10, proven: true })).toBe('banned');
  });
});

describe('verification policy', () => {
  it('checks a new node closely and a trusted one lightly; never a banned one; always a quarantined one', () => {
    expect(checkFor('probation', 5, undefined, () => 0.5)).toBe(true);
    expect(checkFor('trusted', 5, undefined, () => 0.5)).toBe(true);
    expect(checkFor('trusted', 500, undefined, () => 0.5)).toBe(false);
    expect(checkFor('trusted', 500, undefined, () => 0.01)).toBe(true);
    expect(checkFor('quarantined', 500, undefined, () => 0.99)).toBe(true);
    expect(checkFor('banned', 0, undefined, () => 0)).toBe(false);
    expect(canaryFor('probation', 0, undefined, () => 0.05)).toBe(true);
    expect(canaryFor('trusted', 500, undefined, () => 0.05)).toBe(false);
  });
});

describe('text fingerprints', () => {
  it('agree across timestamps, ads and an A/B sentence, and not across pages', () => {
    const a = textFingerprint(`Updated 09:14. ${article} Sponsored: shoes.`);
    const b = textFingerprint(
      `Updated 11:52. ${article.replace('by Thursday', 'this weekend')} Sponsored: cars.`,
    );
    expect(fingerprintsAgree(a, b)).toBe(true);
    expect(fingerprintsAgree(a, textFingerprint(other))).toBe(false);
    expect(decodeFingerprint(encodeFingerprint(a))).toEqual(a);
  });
});

describe('countVotes', () => {
  const real = textFingerprint(article);
  const fake = textFingerprint(other);
  const noise = textFingerprint(
    'Completely different words about mountains, trains and the price of tea in winter.',
  );

  it('agrees when the redundant fetch matches, and asks for a tie-break when it does not', () => {
    expect(
      countVotes([
        { nodeId: 'o', fingerprint: real },
        { nodeId: 'v', fingerprint: real },
      ]),
    ).toEqual({
      kind: 'agreed',
      upheld: ['o', 'v'],
    });
    expect(
      countVotes([
        { nodeId: 'o', fingerprint: fake },
        { nodeId: 'v', fingerprint: real },
      ]),
    ).toEqual({
      kind: 'needs-tiebreak',
    });
  });

  it('lets the majority decide, whoever fetched first, and blames nobody without one', () => {
    const decided = countVotes([
      { nodeId: 'o', fingerprint: fake },
      { nodeId: 'v1', fingerprint: real },
      { nodeId: 'v2', fingerprint: real },
    ]);
    expect(decided).toEqual({ kind: 'decided', upheld: ['v1', 'v2'], outvoted: ['o'] });
    expect(
      countVotes([
        { nodeId: 'o', fingerprint: real },
        { nodeId: 'v1', fingerprint: fake },
        { nodeId: 'v2', fingerprint: real },
      ]),
    ).toEqual({ kind: 'decided', upheld: ['o', 'v2'], outvoted: ['v1'] });
    expect(
      countVotes([
        { nodeId: 'o', fingerprint: real },
        { nodeId: 'v1', fingerprint: fake },
        { nodeId: 'v2', fingerprint: noise },
      ]),
    ).toEqual({ kind: 'undecided' });
  });
});

describe('canary pages', () => {
  const secret = 'operator-secret';
  const url = 'http://canary.test/notes/7';

  it('hold for the page served around the fetch, and not for another time, URL or invented text', () => {
    const at = 1_800_000_000_000;
    const page = canaryPageHtml(secret, url, at);
    expect(canaryAnswerHolds(secret, url, at + 30_000, page)).toBe(true);
    expect(canaryAnswerHolds(secret, url, at + 10 * 60_000, page)).toBe(false);
    expect(canaryAnswerHolds(secret, 'http://canary.test/notes/8', at, page)).toBe(false);
    expect(canaryAnswerHolds('other-secret', url, at, page)).toBe(false);
    expect(canaryAnswerHolds(secret, url, at, '<html>invented</html>')).toBe(false);
    expect(canaryPageHtml(secret, url, at + 120_000)).not.toBe(page);
  });
});

describe('node trust', () => {
  it('earns standing from passed checks and loses it for good on proof', () => {
    let trust = NEW_NODE_TRUST;
    expect(standingOfTrust(trust)).toBe('probation');
    for (let i = 0; i < 10; i++) trust = afterCanary(trust, true, i);
    expect(standingOfTrust(trust)).toBe('trusted');
    trust = afterCanary(trust, false, 99);
    expect(standingOfTrust(trust)).toBe('banned');
    expect(trust.provenAt).toBe(99);
    expect(trust.provenReason).toBe('wrong canary answer');
    expect(afterCanary(trust, true).provenAt).toBe(99);
  });

  it('counts an agreed vote for the nodes it upheld only, and an undecided one for nobody', () => {
    const agreed = afterVote(NEW_NODE_TRUST, 'n', { kind: 'agreed', upheld: ['n', 'v'] }, 'https://a.test/');
    expect(agreed.checksPassed).toBe(1);
    expect(afterVote(NEW_NODE_TRUST, 'x', { kind: 'agreed', upheld: ['n', 'v'] }, 'https://a.test/')).toBe(
      NEW_NODE_TRUST,
    );
    expect(afterVote(NEW_NODE_TRUST, 'n', { kind: 'undecided' }, 'https://a.test/')).toBe(NEW_NODE_TRUST);
  });

  it('takes one lost vote as evidence and lost votes on two distinct URLs as proof', () => {
    const lost: VoteOutcome = { kind: 'decided', upheld: ['a', 'b'], outvoted: ['n'] };
    let trust = NEW_NODE_TRUST;
    for (let i = 0; i < 10; i++) trust = afterCanary(trust, true, i);
    trust = afterVote(trust, 'n', lost, 'https://a.test/1', 50);
    expect(trust.outvotes).toBe(1);
    expect(trust.provenAt).toBeUndefined();
    expect(standingOfTrust(trust)).not.toBe('banned');
    expect(trustMean(trust.score)).toBeLessThan(trustMean(afterCanary(trust, true).score));
    // The same URL lost again (a re-crawl of one awkward page) does not count twice.
    trust = afterVote(trust, 'n', lost, 'https://a.test/1', 60);
    expect(trust.outvotes).toBe(1);
    expect(standingOfTrust(trust)).not.toBe('banned');
    trust = afterVote(trust, 'n', lost, 'https://a.test/2', 70);
    expect(trust.outvotes).toBe(2);
    expect(trust.provenAt).toBe(70);
    expect(trust.provenReason).toMatch(/redundant fetches of 2 URLs/);
    expect(standingOfTrust(trust)).toBe('banned');
  });

  it('forgives a lost vote after enough passed checks: the next one starts a new count', () => {
    const lost: VoteOutcome = { kind: 'decided', upheld: ['a', 'b'], outvoted: ['n'] };
    const agreed: VoteOutcome = { kind: 'agreed', upheld: ['n', 'v'] };
    const policy = { banAfter: 2, forgiveAfterChecks: 5 };
    let trust = afterVote(NEW_NODE_TRUST, 'n', lost, 'https://a.test/1', 1, policy);
    for (let i = 0; i < 4; i++) trust = afterVote(trust, 'n', agreed, `https://a.test/ok${i}`, 2, policy);
    expect(afterVote(trust, 'n', lost, 'https://a.test/2', 3, policy).provenAt).toBe(3);
    trust = afterVote(trust, 'n', agreed, 'https://a.test/ok4', 2, policy);
    trust = afterVote(trust, 'n', lost, 'https://a.test/2', 3, policy);
    expect(trust.outvotes).toBe(1);
    expect(trust.provenAt).toBeUndefined();
  });

  it('settles a trusted node’s credits after the hold, voids a banned node’s, and holds the rest', () => {
    const policy = { holdMs: 1000 };
    expect(settleDecision('trusted', 0, 999, policy)).toBe('wait');
    expect(settleDecision('trusted', 0, 1000, policy)).toBe('settle');
    expect(settleDecision('probation', 0, 10_000, policy)).toBe('wait');
    expect(settleDecision('quarantined', 0, 10_000, policy)).toBe('wait');
    expect(settleDecision('banned', 0, 0, policy)).toBe('void');
  });
});

describe('doubts', () => {
  it('weigh nothing until the tie-break: a disagreement neither quarantines nor bans either side', () => {
    let trust = NEW_NODE_TRUST;
    for (let i = 0; i < 5; i++)
      trust = afterVote(trust, 'n', { kind: 'needs-tiebreak' }, `https://a.test/${i}`);
    expect(trust.score).toEqual(PRIOR_TRUST);
    expect(standingOfTrust(trust)).toBe('probation');
    expect(trust.provenAt).toBeUndefined();
  });

  it('a young node that loses a vote is quarantined until its checks outweigh it', () => {
    const trust = afterVote(
      NEW_NODE_TRUST,
      'n',
      { kind: 'decided', upheld: ['a', 'b'], outvoted: ['n'] },
      'https://a.test/1',
    );
    expect(standingOfTrust(trust)).toBe('quarantined');
    let after = trust;
    for (let i = 0; i < 3; i++) after = afterCanary(after, true);
    expect(standingOfTrust(after)).not.toBe('quarantined');
  });
});
