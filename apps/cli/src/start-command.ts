import { startStack } from './embedded-stack.js';

/** Options of `gleaner start`. */
export interface StartOptions {
  dataDir: string;
  port: number;
  databaseUrl?: string;
  redisUrl?: string;
  adminToken?: string;
}

/** `gleaner start`: brings Gleaner up and keeps it up until Ctrl-C, then shuts down cleanly. */
export async function runStart(options: StartOptions): Promise<void> {
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say(`Gleaner — data in ${options.dataDir}`);
  const stack = await startStack({
    dataDir: options.dataDir,
    port: options.port,
    ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}),
    ...(options.redisUrl ? { redisUrl: options.redisUrl } : {}),
    ...(options.adminToken ? { adminToken: options.adminToken } : {}),
    say,
  });
  say(`admin token     in ${options.dataDir}/admin-token (or GLEANER_ADMIN_TOKEN)`);
  say(`logs            ${stack.logDir}`);
  say('Ready. Press Ctrl-C to stop.');
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
    stack.coordinator.child.once('exit', () => resolve());
    stack.worker.child.once('exit', () => resolve());
  });
  say('stopping…');
  await stack.stop();
  say('stopped.');
}
