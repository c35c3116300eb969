#!/usr/bin/env node
import pino from 'pino';
import { ConfigError } from '@gleaner/config';
import { stopOnSignals } from '@gleaner/supervisor';
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
  stopOnSignals(() => service.stop(), {
    stopping: (signal) => logger.info({ signal }, 'coordinator stopping'),
    failed: (error) => logger.error({ err: error }, 'coordinator did not stop cleanly'),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
