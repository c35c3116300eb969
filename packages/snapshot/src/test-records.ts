import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage, type NodeKeyPair } from '@gleaner/core';
import type { SnapshotRecord } from './snapshot-record.js';
import type { SnapshotSigner } from './snapshot-manifest.js';

/** A small, fully signed set of records for tests: two nodes, a coordinator key, known statistics. */
export interface TestRecordSet {
  records: SnapshotRecord[];
  nodes: Map<string, NodeKeyPair>;
  nodeKeys: Map<string, string>;
  signer: SnapshotSigner;
  coordinatorPublicKeyPem: string;
}

/** Options of {@link makeTestRecords}. */
export interface TestRecordOptions {
  /** Records to make; default 12. */
  count?: number;
  datasetId?: string;
  /** First record number (ids are `rec-<n>`); default 0. */
  start?: number;
}

const LANGUAGES = ['en', 'de', null] as const;
const HOSTS = ['a.example', 'b.example', 'c.example'] as const;

/**
 * Records `rec-0` … whose fields follow the record number n: host `HOSTS[n % 3]`, language `LANGUAGES[n % 3]`
 * (`null` for every third), `quality.wordCount` 10·n, fetched on 2025-03-(1 + n % 28), record n % 4 === 3 with one
 * redirect, node `node-a` for even n and `node-b` for odd n; each signed by its node like a real result.
 */
export function makeTestRecords(options: TestRecordOptions = {}): TestRecordSet {
  const count = options.count ?? 12;
  const start = options.start ?? 0;
  const datasetId = options.datasetId ?? 'ds_test';
  const nodes = new Map([
    ['node-a', generateNodeKeyPair()],
    ['node-b', generateNodeKeyPair()],
  ]);
  const coordinator = generateNodeKeyPair();
  const records: SnapshotRecord[] = [];
  for (let n = start; n < start + count; n++) {
    const host = HOSTS[n % 3]!;
    const url = `https://${host}/page/${n}?q=${n}`;
    const redirects = n % 4 === 3 ? [`http://${host}/old/${n}`] : [];
    const finalUrl = url;
    const body = Buffer.from(
      `<!doctype html><html><head><title>Page ${n}</title></head><body><p>Text of page ${n} — ünïcødé.</p></body></html>`,
    );
    const bodySha256 = sha256Hex(body);
    const nodeId = n % 2 === 0 ? 'node-a' : 'node-b';
    const jobId = `job-${n}`;
    const attempt = 1 + (n % 2);
    const text = `Text of page ${n} — ünïcødé.`;
    const signature = signMessage(
      nodes.get(nodeId)!.privateKeyPem,
      resultMessage({ jobId, attempt, redirects, finalUrl, status: 200, bodySha256 }),
    );
    records.push({
      id: `rec-${n}`,
      datasetId,
      campaignId: 'cmp_test',
      url: redirects[0] ?? url,
      finalUrl,
      host,
      status: 200,
      contentType: 'text/html; charset=utf-8',
      fetchedAt: `2025-03-${String(1 + (n % 28)).padStart(2, '0')}T12:00:00.000Z`,
      title: `Page ${n}`,
      text,
      markdown: `# Page ${n}\n\n${text}`,
      language: LANGUAGES[n % 3]!,
      textHash: sha256Hex(text),
      textBytes: Buffer.byteLength(text),
      metadata: { description: `About page ${n}`, tags: ['x', 'y'] },
      quality: { wordCount: 10 * n, meanWordLength: 4.5 },
      fields: n % 2 === 0 ? { price: n * 1.5 } : null,
      fieldErrors: null,
      round: 0,
      version: 1,
      pageType: n % 2 === 0 ? 'article' : undefined,
      nodeId,
      bodySha256,
      provenance: { jobId, attempt, redirects, signature },
      robots: n % 5 === 0 ? 'allowed:no-robots-txt' : 'allowed',
      siteSignals:
        n % 3 === 0
          ? { robots: ['noarchive'], tdmReservation: 0, tdmPolicy: null, tdmSource: 'header' }
          : undefined,
      httpHeaders: {
        'content-type': 'text/html; charset=utf-8',
        'content-encoding': 'gzip',
        etag: `"e${n}"`,
      },
      rawBody: () => Promise.resolve(body),
    });
  }
  return {
    records,
    nodes,
    nodeKeys: new Map([...nodes].map(([id, pair]) => [id, pair.publicKeyPem])),
    signer: { keyId: 'coordinator-test', privateKeyPem: coordinator.privateKeyPem },
    coordinatorPublicKeyPem: coordinator.publicKeyPem,
  };
}
