import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { parseEnv } from '@gleaner/config';

/** Settings of a running node, resolved from flags > environment > defaults. */
export interface NodeOptions {
  coordinatorUrl: string;
  ownerToken: string;
  dataDir: string;
  name: string;
  concurrency: number;
  allowPrivateNetwork: boolean;
  allowedPorts: number[];
  render: boolean;
  logLevel: string;
}

const NodeEnv = z.object({
  GLEANER_COORDINATOR_URL: z.string().url().optional(),
  GLEANER_OWNER_TOKEN: z.string().min(1).optional(),
  GLEANER_NODE_DIR: z.string().min(1).optional(),
  GLEANER_NODE_NAME: z.string().min(1).optional(),
  GLEANER_NODE_CONCURRENCY: z.coerce.number().int().min(1).max(64).optional(),
  GLEANER_LOG_LEVEL: z.string().optional(),
});

/** Usage text of `gleaner-node start`. */
export const START_USAGE = `Usage: gleaner-node start --coordinator URL --token OWNER_TOKEN [options]

Lends this machine's idle bandwidth to a Gleaner coordinator: fetches the URLs it is sent, safely.

Options:
  --coordinator URL       coordinator base URL (env GLEANER_COORDINATOR_URL)
  --token TOKEN           your owner token (env GLEANER_OWNER_TOKEN)
  --data-dir DIR          where the node keeps its key (env GLEANER_NODE_DIR; default ~/.config/gleaner-node)
  --name NAME             a name for this node (default: the host name)
  --concurrency N         pages fetched at once, 1-64 (default 4)
  --render                accept jobs that need a browser (uses /usr/bin/chromium)
  --allow-private         TESTS AND DEMOS ONLY: let fetches reach private and loopback addresses
  --allow-ports LIST      extra ports fetches may use, comma-separated (default: 80 and 443 only)
  --log-level LEVEL       info (default), debug, warn, error, silent
`;

/** Parses `gleaner-node start` arguments and environment; throws with a readable message on bad input. */
export function resolveNodeOptions(argv: string[], env: Record<string, string | undefined>): NodeOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      coordinator: { type: 'string' },
      token: { type: 'string' },
      'data-dir': { type: 'string' },
      name: { type: 'string' },
      concurrency: { type: 'string' },
      render: { type: 'boolean' },
      'allow-private': { type: 'boolean' },
      'allow-ports': { type: 'string' },
      'log-level': { type: 'string' },
    },
    strict: true,
  });
  const fromEnv = parseEnv(NodeEnv, env);
  const coordinatorUrl = values.coordinator ?? fromEnv.GLEANER_COORDINATOR_URL;
  const ownerToken = values.token ?? fromEnv.GLEANER_OWNER_TOKEN;
  if (!coordinatorUrl) throw new Error('missing --coordinator URL (or GLEANER_COORDINATOR_URL)');
  if (!ownerToken) throw new Error('missing --token OWNER_TOKEN (or GLEANER_OWNER_TOKEN)');
  const concurrency = Number(values.concurrency ?? fromEnv.GLEANER_NODE_CONCURRENCY ?? 4);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) {
    throw new Error('--concurrency must be a whole number from 1 to 64');
  }
  const extraPorts = (values['allow-ports'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((p) => {
      const port = Number(p);
      if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--allow-ports: not a port: ${p}`);
      return port;
    });
  return {
    coordinatorUrl,
    ownerToken,
    dataDir: values['data-dir'] ?? fromEnv.GLEANER_NODE_DIR ?? path.join(homedir(), '.config', 'gleaner-node'),
    name: values.name ?? fromEnv.GLEANER_NODE_NAME ?? (env.HOSTNAME || 'gleaner-node'),
    concurrency,
    allowPrivateNetwork: values['allow-private'] ?? false,
    allowedPorts: [80, 443, ...extraPorts],
    render: values.render ?? false,
    logLevel: values['log-level'] ?? fromEnv.GLEANER_LOG_LEVEL ?? 'info',
  };
}
