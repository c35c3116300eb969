/**
 * Trust benchmark: the verification and trust code of `@gleaner/trust` (canaries, redundant fetches, votes, standing,
 * settling) driven by a simulated network with one dishonest owner, 100 seeded runs per strategy. One table.
 *
 *   npx tsx bench/trust/run.ts [--runs N] [--seed N] [--strategies always,sybil,...] [--horizon S] [--hold-ms MS]
 *
 * See bench/trust/README.md for the model and what each column means.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_SETTLE_POLICY, DEFAULT_STANDING_POLICY, DEFAULT_VERIFICATION_POLICY } from '@gleaner/trust';
import { loadCorpusTexts } from './corpus-texts.js';
import { DEFAULT_SIM, runSimulation, type RunResult } from './network-sim.js';
import { PageWorld } from './page-world.js';
import { STRATEGY_LABELS, type Strategy } from './strategies.js';

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    strategies: { type: 'string', default: Object.keys(STRATEGY_LABELS).join(',') },
    horizon: { type: 'string', default: String(DEFAULT_SIM.horizonS) },
    'hold-ms': { type: 'string', default: String(DEFAULT_SIM.holdMs) },
  },
});
const runs = Number(args.runs);
const firstSeed = Number(args.seed);
const strategies = args.strategies.split(',') as Strategy[];
for (const strategy of strategies) {
  if (!(strategy in STRATEGY_LABELS)) throw new Error(`unknown strategy ${strategy}`);
}
const sim = { ...DEFAULT_SIM, horizonS: Number(args.horizon), holdMs: Number(args['hold-ms']) };

/** Detection of a dishonest node counts if it is banned by its this-many-th job. */
const DETECTION_JOBS = 50;

const median = (values: number[]): number => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const pct = (part: number, whole: number, digits = 1): string =>
  whole === 0 ? '–' : `${((100 * part) / whole).toFixed(digits)} %`;

const world = new PageWorld(loadCorpusTexts());
console.error(
  `${world.texts.length} WCXB main texts; ${runs} runs per strategy from seed ${firstSeed}; ` +
    `${sim.horizonS} s simulated, steady state from ${sim.steadyFromS} s, hold ${sim.holdMs / 1000} s`,
);

const headers = [
  'strategy',
  'dishonest nodes',
  `banned ≤ ${DETECTION_JOBS} jobs`,
  'median jobs to ban',
  'fabricated before ban (median / max)',
  'caught by canary',
  'honest banned',
  'honest quarantined',
  'quarantine s (median / max)',
  'extra fetches (steady)',
  'points settled to dishonest',
];
const rows: string[][] = [];
const started = performance.now();
for (const strategy of strategies) {
  const results: RunResult[] = [];
  for (let run = 0; run < runs; run++) {
    results.push(runSimulation(world, { ...sim, strategy, seed: firstSeed + run }));
  }
  const dishonest = results.flatMap((result) => result.dishonest);
  const banned = dishonest.filter((node) => node.jobsAtBan !== undefined);
  const withinTarget = banned.filter((node) => node.jobsAtBan! <= DETECTION_JOBS).length;
  const fabricated = banned.map((node) => node.fabricatedAtBan);
  const honestNodes = results.reduce((sum, result) => sum + result.honestNodes, 0);
  const sum = (of: (result: RunResult) => number): number => results.reduce((s, r) => s + of(r), 0);
  const steadyExtra = sum((r) => r.steady.canary + r.steady.redundant + r.steady.tiebreak);
  const steadyAll = steadyExtra + sum((r) => r.steady.page);
  const none = dishonest.length === 0;
  const quarantineSeconds = results.flatMap((result) => result.honestQuarantineSeconds);
  rows.push([
    STRATEGY_LABELS[strategy],
    String(dishonest.length),
    none ? '–' : pct(withinTarget, dishonest.length),
    none ? '–' : String(median(banned.map((node) => node.jobsAtBan!))),
    none ? '–' : `${median(fabricated)} / ${Math.max(...fabricated)}`,
    none ? '–' : pct(banned.filter((node) => node.reason === 'canary').length, banned.length, 0),
    String(sum((r) => r.honestBanned)),
    `${sum((r) => r.honestQuarantined)} (${pct(
      sum((r) => r.honestQuarantined),
      honestNodes,
      2,
    )})`,
    quarantineSeconds.length === 0 ? '–' : `${median(quarantineSeconds)} / ${Math.max(...quarantineSeconds)}`,
    pct(steadyExtra, steadyAll),
    String(sum((r) => r.settledToDishonest)),
  ]);
  const settledShare = pct(
    sum((r) => r.settledToHonest),
    sum((r) => r.creditedToHonest),
  );
  console.error(
    `${strategy}: ${honestNodes} honest nodes, ${dishonest.length - banned.length} dishonest never banned, ` +
      `${sum((r) => r.undecided)} undecided votes, ${sum((r) => r.honestVotesLost)} votes lost by honest nodes, ` +
      `honest points settled ${settledShare} ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s)`,
  );
}

const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
const line = (cells: string[]): string =>
  `| ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join(' | ')} |`;
console.log(
  `\nTrust against simulated attackers: ${runs} seeded runs per strategy, ${sim.horizonS} s simulated, ` +
    `hold ${sim.holdMs / 1000} s\n`,
);
console.log(line(headers));
console.log(
  `|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`,
);
for (const row of rows) console.log(line(row));
console.log(
  `\nVerification policy ${JSON.stringify(DEFAULT_VERIFICATION_POLICY)}; standing ` +
    `${JSON.stringify(DEFAULT_STANDING_POLICY)}; settle hold ${sim.holdMs} ms ` +
    `(default ${DEFAULT_SETTLE_POLICY.holdMs} ms).`,
);
