#!/usr/bin/env node
import pino from 'pino';
import { SafeFetcher } from '@gleaner/fetcher';
import { ensureIdentity, GatewayClient } from '@gleaner/node-core';
import { resolveNodeOptions, START_USAGE } from './node-options.js';

async function start(argv: string[]): Promise<void> {
  const options = resolveNodeOptions(argv, process.env);
  const logger = pino({ level: options.logLevel, base: { service: 'node' } });
  const identity = await ensureIdentity({
    coordinatorUrl: options.coordinatorUrl,
    ownerToken: options.ownerToken,
    stateDir: options.dataDir,
    name: options.name,
  });
  const fetcher = new SafeFetcher({
    allowPrivateNetwork: options.allowPrivateNetwork,
    allowedPorts: options.allowedPorts,
  });
  if (options.allowPrivateNetwork) logger.warn({}, 'private-network guard is OFF (--allow-private): tests and demos only');
  const client = new GatewayClient({
    identity,
    concurrency: options.concurrency,
    render: options.render,
    runJob: (job) =>
      fetcher.fetch(job.url, {
        render: job.render,
        limits: { maxBodyBytes: job.limits.maxBodyBytes, totalTimeoutMs: job.limits.timeoutMs, maxRedirects: job.limits.maxRedirects },
      }),
  });
  client.on('state', (state: string) => logger.info({ state, nodeId: identity.nodeId }, 'connection state'));
  client.on('closed', (info: { code: number; reason: string }) => logger.info(info, 'connection closed'));
  client.on('job', (record: { url: string; status: number; bytes: number; errorCode?: string }) =>
    logger.debug(record, 'fetched'),
  );
  client.start();
  process.stdout.write(`${JSON.stringify({ event: 'started', nodeId: identity.nodeId })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'node stopping: finishing jobs in hand');
    void client
      .stop()
      .then(() => fetcher.close())
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  switch (command) {
    case 'start':
      return start(rest);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(START_USAGE);
      return;
    default:
      throw new Error(`unknown command "${command}"; try: gleaner-node start --help`);
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`gleaner-node: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
