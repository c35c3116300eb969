import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { generateNodeKeyPair, resultMessage, sha256Hex, signMessage } from '@gleaner/core';
import { buildSnapshot, type SnapshotRecord } from '@gleaner/snapshot';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify } from './verify-command.js';

let root: string;
let dir: string;
const coordinator = generateNodeKeyPair();

function capture(): { stream: PassThrough & NodeJS.WriteStream; text: () => string } {
  const stream = new PassThrough() as PassThrough & NodeJS.WriteStream;
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { stream, text: () => Buffer.concat(chunks).toString('utf8') };
}

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'gleaner-verify-cli-'));
  dir = path.join(root, 'snap');
  const node = generateNodeKeyPair();
  const records: SnapshotRecord[] = [0, 1, 2].map((n) => {
    const body = Buffer.from(`<html><body>page ${n}</body></html>`);
    const finalUrl = `https://example.org/${n}`;
    const provenance = { jobId: `job-${n}`, attempt: 1, redirects: [] };
    const bodySha256 = sha256Hex(body);
    return {
      id: `rec-${n}`,
      datasetId: 'ds_cli',
      campaignId: 'cmp_cli',
      url: finalUrl,
      finalUrl,
      host: 'example.org',
      status: 200,
      contentType: 'text/html',
      fetchedAt: '2025-05-01T00:00:00.000Z',
      title: null,
      text: `page ${n}`,
      markdown: `page ${n}`,
      language: 'en',
      textHash: sha256Hex(`page ${n}`),
      textBytes: 6,
      metadata: null,
      quality: { wordCount: 2 },
      fields: null,
      fieldErrors: null,
      round: 0,
      version: 1,
      nodeId: 'node-1',
      bodySha256,
      provenance: {
        ...provenance,
        signature: signMessage(
          node.privateKeyPem,
          resultMessage({ ...provenance, finalUrl, status: 200, bodySha256 }),
        ),
      },
      robots: 'allowed',
      rawBody: () => Promise.resolve(body),
    };
  });
  await buildSnapshot(records, {
    dir,
    snapshotId: 'snap_cli',
    datasetId: 'ds_cli',
    nodeKeys: { 'node-1': node.publicKeyPem },
    signer: { keyId: 'coordinator-1', privateKeyPem: coordinator.privateKeyPem },
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('gleaner verify', () => {
  it('prints a summary line and exits 0 for an intact snapshot signed by the pinned key', async () => {
    const keyFile = path.join(root, 'coordinator.pem');
    await writeFile(keyFile, coordinator.publicKeyPem);
    const out = capture();
    const err = capture();
    const code = await runVerify({ dir, signerKeyFile: keyFile, out: out.stream, err: err.stream });
    expect(code).toBe(0);
    expect(out.text()).toMatch(
      /^OK snap_cli \(dataset ds_cli\): 3 records in 1 shards, \d+ files .*coordinator-1\n$/,
    );
    expect(err.text()).toBe('');
  });

  it('prints one line naming the failing file and exits 1', async () => {
    const file = path.join(dir, 'nodes.json');
    const original = await readFile(file);
    await writeFile(file, Buffer.concat([original, Buffer.from(' ')]));
    try {
      const out = capture();
      const err = capture();
      const code = await runVerify({ dir, out: out.stream, err: err.stream });
      expect(code).toBe(1);
      expect(err.text()).toMatch(/^gleaner verify: FAILED nodes\.json: \d+ bytes, the manifest says \d+\n$/);
      expect(out.text()).toBe('');
    } finally {
      await writeFile(file, original);
    }
  });
});
