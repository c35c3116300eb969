import { callStatusApi, formatBytes, type NodeStatus } from '@gleaner/node-core';
import type { CommandContext } from './node-options.js';
import { formatFields } from './text-table.js';

type StatusReply = NodeStatus & { points: number | null };

/** Renders a node status for people. */
export function formatStatus(status: StatusReply): string {
  const { controls, today } = status;
  const share = today.quotaBytes > 0 ? ((100 * today.usedBytes) / today.quotaBytes).toFixed(1) : '0';
  return formatFields([
    ['Node', status.nodeId],
    ['Connection', status.connection],
    [
      'Working',
      status.paused ? `paused (${status.pauseReasons.join(', ')})` : `yes, ${status.inFlight} in flight`,
    ],
    ['Points', status.points === null ? 'unknown (coordinator not reachable)' : String(status.points)],
    ['Today', `${formatBytes(today.usedBytes)} of ${formatBytes(today.quotaBytes)} (${share}%)`],
    ['Jobs', `${status.jobs.done} fetched, ${status.jobs.failed} failed since start`],
    [
      'Limits',
      `${controls.concurrency} at once · ${formatBytes(controls.bandwidth)}/s · active ${controls.activeHours || 'always'}`,
    ],
    ['Denied', controls.deny.length > 0 ? controls.deny.join(', ') : '—'],
  ]);
}

/** `gleaner-node status | pause | resume`: asks the running node through its local API. */
export async function controlCommand(
  command: 'status' | 'pause' | 'resume',
  ctx: CommandContext,
): Promise<void> {
  const { dataDir } = ctx.config;
  if (command !== 'status') await callStatusApi(dataDir, 'POST', `/api/${command}`);
  const status = await callStatusApi<StatusReply>(dataDir, 'GET', '/api/status');
  if (ctx.values.json === true) {
    process.stdout.write(`${JSON.stringify(status)}\n`);
    return;
  }
  if (command === 'pause') process.stdout.write('Paused: the node takes no new jobs.\n\n');
  if (command === 'resume')
    process.stdout.write(status.paused ? 'Resumed by you, but still paused:\n\n' : 'Resumed.\n\n');
  process.stdout.write(formatStatus(status));
}
