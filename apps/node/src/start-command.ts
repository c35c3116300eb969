import { createLineLogger } from './line-logger.js';
import {
  ContributorNode,
  ensureIdentity,
  OwnerEarnings,
  OwnerPoints,
  removeStatusFile,
  StatusServer,
  updateConfigFile,
  writeStatusFile,
  type FetchLogEntry,
  type InvalidMessage,
  type OutcomeLogEntry,
} from '@gleaner/node-core';
import { TOKEN_PLACES, type CommandContext } from './node-options.js';
import { readSecretFromStdin } from './stdin-secret.js';

/** `gleaner-node start`: registers if needed, connects, serves the status page; stops cleanly on SIGINT/SIGTERM. */
export async function startCommand(ctx: CommandContext): Promise<void> {
  const { config, sources } = ctx;
  if (!config.coordinator)
    throw new Error('missing --coordinator URL (or GLEANER_COORDINATOR_URL, or config set coordinator URL)');
  const token =
    ctx.values['token-stdin'] === true ? await readSecretFromStdin('Owner token: ') : config.token;
  if (!token) throw new Error(`no owner token: ${TOKEN_PLACES}`);
  const { coordinator } = config;
  const allowPrivateNetwork = ctx.values['allow-private'] === true;
  const logger = createLineLogger(config.logLevel, { service: 'node' });
  const identity = await ensureIdentity({
    coordinatorUrl: coordinator,
    ownerToken: token,
    stateDir: config.dataDir,
    name: config.name,
  });
  if (allowPrivateNetwork)
    logger.warn({}, 'private-network guard is OFF (--allow-private): tests and demos only');
  const node = await ContributorNode.create({
    identity,
    dataDir: config.dataDir,
    // The owner's controls alone: the status API serves them, and must never serve the token.
    controls: {
      concurrency: config.concurrency,
      bandwidth: config.bandwidth,
      dailyQuota: config.dailyQuota,
      activeHours: config.activeHours,
      deny: config.deny,
    },
    fetcher: { allowPrivateNetwork, allowPorts: config.allowPorts },
    render: config.render,
    // The outcome of every fetch, asked of the coordinator with the owner token, goes to the fetch log.
    outcomes: { ownerToken: token },
  });
  const points = new OwnerPoints({ coordinatorUrl: coordinator, ownerToken: token });
  const earnings = new OwnerEarnings({ coordinatorUrl: coordinator, ownerToken: token });
  const server = new StatusServer({
    node,
    dataDir: config.dataDir,
    port: config.statusPort,
    // Several nodes on one machine (the demo) each get a free port; an explicit port must be free.
    anyPortIfBusy: sources.statusPort === 'default',
    points: () => points.get(),
    earnings: () => earnings.get(),
    onControls: async (controls) => {
      await updateConfigFile(ctx.configFile, controls);
    },
  });
  await server.listen();
  await writeStatusFile(config.dataDir, { url: server.url, key: server.key, pid: process.pid });

  node.client.on('state', (state: string) =>
    logger.info({ state, nodeId: identity.nodeId }, 'connection state'),
  );
  node.client.on('closed', (info: { code: number; reason: string }) =>
    logger.info(info, 'connection closed'),
  );
  node.client.on('invalid-message', (info: InvalidMessage) =>
    logger.warn(info, 'ignored a coordinator message that does not fit the protocol'),
  );
  node.on('job', (entry: FetchLogEntry) => logger.debug(entry, 'fetched'));
  node.on('outcome', (line: OutcomeLogEntry) => logger.debug(line, 'outcome'));
  node.on('outcome-error', (error: unknown) =>
    logger.warn({ err: error }, 'could not ask the coordinator for outcomes'),
  );
  node.on('log-error', (error: unknown) => logger.warn({ err: error }, 'could not write the fetch log'));
  node.start();
  process.stdout.write(`${JSON.stringify({ event: 'started', nodeId: identity.nodeId })}\n`);
  process.stdout.write(`${JSON.stringify({ event: 'status-page', url: server.pageUrl })}\n`);
  if (process.stderr.isTTY) process.stderr.write(`\nStatus page: ${server.pageUrl}\n\n`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'node stopping: finishing jobs in hand');
    void node
      .stop()
      .then(() => server.close())
      .then(() => removeStatusFile(config.dataDir))
      .finally(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}
