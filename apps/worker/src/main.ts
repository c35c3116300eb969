#!/usr/bin/env node
import pino from 'pino';
import { ConfigError } from '@gleaner/config';
import { loadWorkerConfig } from './config.js';
import { WorkerService } from './worker-service.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ level: config.GLEANER_LOG_LEVEL, base: { service: 'worker' } });
  const service = new WorkerService(config, logger);
  await service.start();
  process.stdout.write(`${JSON.stringify({ event: 'started' })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'worker stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'worker did not stop cleanly');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
