#!/usr/bin/env node
import pino from 'pino';
import { ConfigError } from '@gleaner/config';
import { loadCoordinatorConfig } from './config.js';
import { CoordinatorService } from './coordinator-service.js';

async function main(): Promise<void> {
  const config = loadCoordinatorConfig();
  const logger = pino({
    level: config.GLEANER_LOG_LEVEL,
    base: { service: 'coordinator' },
    redact: ['req.headers.authorization', 'req.headers["x-api-key"]', 'token', 'key'],
  });
  const service = new CoordinatorService(config, logger);
  const url = await service.start();
  process.stdout.write(`${JSON.stringify({ event: 'listening', url })}\n`);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'coordinator stopping');
    service.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'coordinator did not stop cleanly');
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
