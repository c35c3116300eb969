import { pairNode, parseConfigValue, updateConfigFile, type PairingCode } from '@gleaner/node-core';
import type { CommandContext } from './node-options.js';

function showCode(code: PairingCode): void {
  process.stdout.write(
    `${JSON.stringify({ event: 'pairing-code', userCode: code.userCode, link: code.link, expiresAt: code.expiresAt })}\n`,
  );
  if (!process.stderr.isTTY) return;
  const minutes = Math.max(1, Math.round((code.expiresAt.getTime() - Date.now()) / 60_000));
  process.stderr.write(
    `\nTo pair this node, open\n\n    ${code.link}\n\nsign in as its owner and approve the code\n\n    ${code.userCode}\n\n` +
      `It expires in ${minutes} minutes. Waiting for approval… (Ctrl-C to give up)\n`,
  );
}

/**
 * `gleaner-node pair [COORDINATOR_URL]`: pairs this node by code (docs/pairing.md). The owner approves the code on the
 * coordinator's pairing page; the node then keeps its identity in the data folder and the owner token issued to it,
 * with the coordinator URL, in the config file, so `gleaner-node start` needs nothing more. No token is ever typed here.
 */
export async function pairCommand(ctx: CommandContext): Promise<void> {
  const [given] = ctx.positionals;
  const coordinator = given === undefined ? ctx.config.coordinator : parseConfigValue('coordinator', given);
  if (!coordinator)
    throw new Error(
      'usage: gleaner-node pair COORDINATOR_URL (or set --coordinator / GLEANER_COORDINATOR_URL)',
    );
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const paired = await pairNode({
      coordinatorUrl: coordinator,
      stateDir: ctx.config.dataDir,
      name: ctx.config.name,
      onCode: showCode,
      signal: abort.signal,
    });
    await updateConfigFile(ctx.configFile, { coordinator, token: paired.ownerToken });
    process.stdout.write(
      `${JSON.stringify({ event: 'paired', nodeId: paired.identity.nodeId, ownerId: paired.ownerId })}\n`,
    );
    process.stderr.write(
      `Paired as node ${paired.identity.nodeId}. Its token and the coordinator are in ${ctx.configFile}.\n` +
        'Start it with: gleaner-node start\n',
    );
  } catch (error) {
    if (abort.signal.aborted) throw new Error('pairing stopped before it was approved', { cause: error });
    throw error;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
