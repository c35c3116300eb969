#!/usr/bin/env node
import pino from 'pino';
import { ConfigError } from '@gleaner/config';
import { stopOnSignals } from '@gleaner/supervisor';
import { loadWorkerConfig } from './config.js';
import { WorkerService } from './worker-service.js';

async function main(): Promise<void> {
  const config = loadWorkerConfig();
  const logger = pino({ level: config.GLEANER_LOG_LEVEL, base: { service: 'worker' } });
  const service = new WorkerService(config, logger);
  await service.start();
  process.stdout.write(`${JSON.stringify({ event: 'started' })}\n`);
  stopOnSignals(() => service.stop(), {
    stopping: (signal) => logger.info({ signal }, 'worker stopping'),
    failed: (error) => logger.error({ err: error }, 'worker did not stop cleanly'),
  });
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
