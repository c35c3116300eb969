import { readFile } from 'node:fs/promises';
import { verifySnapshot, type VerifyProgress } from '@gleaner/snapshot';
import { ProgressBar, progressLine } from './progress-bar.js';

/** Options of `gleaner verify`. */
export interface VerifyCommandOptions {
  /** The snapshot folder. */
  dir: string;
  /** A PEM file with the coordinator's public key the manifest must be signed by; default the manifest's own key. */
  signerKeyFile?: string;
  /** Where the summary goes; default stdout. */
  out?: NodeJS.WritableStream;
  /** Where progress and the error line go; default stderr (progress only when it is a terminal). */
  err?: NodeJS.WriteStream;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

/**
 * `gleaner verify DIR`: checks a snapshot folder offline (every file's size and SHA-256, the manifest signature,
 * the Merkle root, every record's node signature). Prints one summary line and resolves with 0, or prints one
 * line naming the failing file or record and resolves with 1.
 */
export async function runVerify(options: VerifyCommandOptions): Promise<number> {
  const out = options.out ?? process.stdout;
  const err = options.err ?? process.stderr;
  const signerPublicKeyPem = options.signerKeyFile
    ? await readFile(options.signerKeyFile, 'utf8')
    : undefined;
  const bar = err.isTTY ? new ProgressBar(err) : null;
  const onProgress = (p: VerifyProgress): void =>
    bar?.update(
      progressLine(p.done, p.total, p.phase === 'files' ? `hashing ${p.item}` : `records of ${p.item}`),
    );
  const result = await verifySnapshot(options.dir, {
    ...(signerPublicKeyPem !== undefined ? { signerPublicKeyPem } : {}),
    onProgress,
  });
  bar?.done();
  if (!result.ok) {
    err.write(`gleaner verify: FAILED ${result.message}\n`);
    return 1;
  }
  out.write(
    `OK ${result.snapshotId} (dataset ${result.datasetId}): ${result.records.toLocaleString('en-US')} records in ` +
      `${result.shards} shards, ${result.files} files (${mib(result.bytes)}), ${result.nodes} node keys; ` +
      `Merkle root ${result.merkleRoot}; manifest signed by ${result.signerKeyId}\n`,
  );
  return 0;
}
