#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { loadCliEnvironment } from './cli-config.js';
import type { ExtractFormat } from './extract-command.js';

const USAGE = `Usage: gleaner <command> [options]

Commands:
  start     Start Gleaner (coordinator + worker; embedded PGlite and redis-server unless
            DATABASE_URL / REDIS_URL are set). Options: --data-dir DIR (default ./.gleaner), --port N (default 7300)
  demo      Start Gleaner, a sample site on loopback and three nodes, crawl the site to the end, print a summary
            and a command that pulls the dataset. Options: --data-dir DIR, --pages-per-host N (default 60),
            --nodes N (default 3), --exit (stop after the summary)
  extract   Run the pipeline's extraction on saved pages: gleaner extract FILE... [--url URL]
            [--format json|markdown|text]. Prints one JSON line per file, in input order (text, markdown,
            metadata, language, quality signals, outlinks); exit code 1 if any file failed.
  verify    Check a dataset snapshot offline: gleaner verify DIR [--signer-key PEM_FILE]. Checks every file's
            SHA-256, the manifest signature (by the coordinator key in PEM_FILE, if given), the Merkle root and
            each record's node signature; exit code 1 with the failing file or record.
  pull      Download a dataset: gleaner pull DATASET --coordinator URL --key KEY (or GLEANER_API_KEY) --out DIR
            [--snapshot latest|ID] [--format parquet|jsonl|warc] [--concurrency N] [--signer-key PEM_FILE]
            [--no-verify]. Fetches a published snapshot's files with a progress line, resumes an interrupted
            pull (matching files are kept, partial ones continue), then verifies the folder as verify does.
            With --feed [--follow] [--shard-lines N], follows the live feed into DIR/feed-*.jsonl.gz instead,
            saving the cursor in DIR/feed-state.json so a re-run continues.
  help      Show this text.

Environment: GLEANER_DATA_DIR, GLEANER_PORT, DATABASE_URL, REDIS_URL, GLEANER_ADMIN_TOKEN, GLEANER_API_KEY.
`;

async function main(): Promise<void> {
  const [command, ...args] = process.argv.slice(2);
  const env = loadCliEnvironment();
  switch (command) {
    case 'start': {
      const { values } = parseArgs({
        args,
        options: { 'data-dir': { type: 'string' }, port: { type: 'string' } },
      });
      const { runStart } = await import('./start-command.js');
      return runStart({
        dataDir: values['data-dir'] ?? env.dataDir,
        port: Number(values.port ?? env.port ?? 7300),
        ...(env.databaseUrl ? { databaseUrl: env.databaseUrl } : {}),
        ...(env.redisUrl ? { redisUrl: env.redisUrl } : {}),
        ...(env.adminToken ? { adminToken: env.adminToken } : {}),
      });
    }
    case 'demo': {
      const { values } = parseArgs({
        args,
        options: {
          'data-dir': { type: 'string' },
          'pages-per-host': { type: 'string' },
          nodes: { type: 'string' },
          exit: { type: 'boolean' },
        },
      });
      const { runDemo } = await import('./demo-command.js');
      return runDemo({
        dataRoot: values['data-dir'] ?? env.dataDir,
        pagesPerHost: Number(values['pages-per-host'] ?? 60),
        nodes: Number(values.nodes ?? 3),
        exitWhenDone: values.exit ?? false,
      });
    }
    case 'extract': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { url: { type: 'string' }, format: { type: 'string', default: 'json' } },
      });
      if (positionals.length === 0) throw new Error('extract needs at least one FILE');
      const format = values.format as ExtractFormat;
      if (!['json', 'markdown', 'text'].includes(format))
        throw new Error('--format must be json, markdown or text');
      const { runExtract } = await import('./extract-command.js');
      const failures = await runExtract({
        files: positionals,
        format,
        ...(values.url ? { url: values.url } : {}),
      });
      if (failures > 0) process.exitCode = 1;
      return;
    }
    case 'verify': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { 'signer-key': { type: 'string' } },
      });
      if (positionals.length !== 1) throw new Error('verify needs one snapshot folder: gleaner verify DIR');
      const { runVerify } = await import('./verify-command.js');
      process.exitCode = await runVerify({
        dir: positionals[0]!,
        ...(values['signer-key'] ? { signerKeyFile: values['signer-key'] } : {}),
      });
      return;
    }
    case 'pull': {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          coordinator: { type: 'string' },
          key: { type: 'string' },
          out: { type: 'string' },
          snapshot: { type: 'string' },
          format: { type: 'string' },
          concurrency: { type: 'string' },
          'signer-key': { type: 'string' },
          'no-verify': { type: 'boolean' },
          feed: { type: 'boolean' },
          follow: { type: 'boolean' },
          'shard-lines': { type: 'string' },
        },
      });
      const { parsePullArgs } = await import('./pull-args.js');
      const parsed = parsePullArgs(positionals, { ...values, key: values.key ?? env.apiKey });
      if (parsed.mode === 'feed') {
        const { runFeedPull } = await import('./pull-feed.js');
        process.exitCode = await runFeedPull(parsed.options);
      } else {
        const { runPull } = await import('./pull-command.js');
        process.exitCode = await runPull(parsed.options);
      }
      return;
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      process.stdout.write(USAGE);
      return;
    default:
      throw new Error(`unknown command "${command}"\n\n${USAGE}`);
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    process.stderr.write(`gleaner: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
