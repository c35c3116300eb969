import { createNodeFetcher, formatBytes } from '@gleaner/node-core';
import type { FetchOutcome } from '@gleaner/fetcher';
import type { CommandContext } from './node-options.js';
import { formatFields } from './text-table.js';

/** Renders one fetch outcome for people. */
export function formatOutcome(url: string, outcome: FetchOutcome): string {
  const fields: [string, string][] = [
    ['URL', url],
    ['Final URL', outcome.finalUrl],
  ];
  if (outcome.ok) {
    fields.push(
      ['Status', String(outcome.status)],
      ['Bytes', `${formatBytes(outcome.body.length)} (${outcome.body.length} B)`],
      ['Content type', outcome.headers['content-type'] ?? '—'],
      ['Address', outcome.remoteAddress],
    );
  } else {
    fields.push(['Result', 'refused'], ['Error', `${outcome.error.code}: ${outcome.error.message}`]);
  }
  fields.push(
    ['Redirects', outcome.redirects.length > 0 ? outcome.redirects.join(' -> ') : 'none'],
    ['Timings', `headers ${outcome.timings.headersMs} ms · total ${outcome.timings.totalMs} ms`],
  );
  return formatFields(fields);
}

/**
 * `gleaner-node fetch URL [--render] [--json]`: one fetch through the node's own fetcher — same guard, ports,
 * deny-list and limits as a job. It is not counted against the daily quota. Exits 1 when the fetch is refused.
 */
export async function fetchCommand(ctx: CommandContext): Promise<void> {
  const url = ctx.positionals[0];
  if (url === undefined) throw new Error('usage: gleaner-node fetch URL [--render]');
  const fetcher = createNodeFetcher({
    allowPrivateNetwork: ctx.values['allow-private'] === true,
    allowPorts: ctx.config.allowPorts,
    deny: ctx.config.deny,
  });
  try {
    const outcome = await fetcher.fetch(url, { render: ctx.values.render === true });
    if (ctx.values.json === true) {
      const { body, ...rest } = outcome.ok ? outcome : { ...outcome, body: undefined };
      process.stdout.write(`${JSON.stringify({ ...rest, bytes: body?.length ?? 0 })}\n`);
    } else {
      process.stdout.write(formatOutcome(url, outcome));
    }
    if (!outcome.ok) process.exitCode = 1;
  } finally {
    await fetcher.close();
  }
}
