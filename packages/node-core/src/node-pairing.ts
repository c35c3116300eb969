import { access } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { generateNodeKeyPair } from '@gleaner/core';
import type { PairingPoll, StartedPairing } from '@gleaner/contracts';
import { requestJson } from './json-request.js';
import { identityFile, saveIdentity, type NodeIdentity } from './node-identity.js';

/** What the owner is shown while the node waits: the code and the page to approve it on. */
export interface PairingCode {
  /** Grouped for reading, `K7QM-4XPD`. */
  userCode: string;
  /** `COORDINATOR_URL/pair?code=…`: the page with the code filled in. */
  link: string;
  expiresAt: Date;
}

/** Options of {@link pairNode}. */
export interface PairNodeOptions {
  coordinatorUrl: string;
  /** Folder the identity is saved in, as for `ensureIdentity`. */
  stateDir: string;
  /** A readable name shown to the owner when they approve. */
  name: string;
  /** Called once the code is known, to show it. */
  onCode: (code: PairingCode) => void;
  /** Stops waiting (the pairing then simply expires on the coordinator). */
  signal?: AbortSignal;
}

/** A node paired by code: its saved identity and the owner token the coordinator issued to it. */
export interface PairedNode {
  identity: NodeIdentity;
  ownerId: string;
  ownerToken: string;
}

/** Raised when pairing cannot go on; `reason` says why, and `expired` means: start again. */
export class PairingError extends Error {
  constructor(
    message: string,
    readonly reason: 'already-paired' | 'refused' | 'expired',
  ) {
    super(message);
    this.name = 'PairingError';
  }
}

const errorMessage = (body: unknown) =>
  (body as { error?: { message?: string } } | undefined)?.error?.message ?? 'no reason given';

/**
 * Pairs this node with a coordinator by code, after RFC 8628: makes a key pair, starts a pairing with its public key,
 * shows the code through `onCode`, and polls at the interval the coordinator sets (longer after `slow_down`) until
 * the owner approves it on the pairing page. Then saves the identity where `ensureIdentity` finds it and returns the
 * owner token issued to this node, for the caller to keep as the node's `token` setting. The owner's own token never
 * passes through the node, and the device code it polls with lives only in this function's memory.
 */
export async function pairNode(options: PairNodeOptions): Promise<PairedNode> {
  const { coordinatorUrl } = options;
  const file = identityFile(options.stateDir, coordinatorUrl);
  const exists = await access(file).then(
    () => true,
    () => false,
  );
  if (exists)
    throw new PairingError(
      `this node already has an identity with ${coordinatorUrl} (${file}); remove it to pair as a new node`,
      'already-paired',
    );
  const keys = generateNodeKeyPair();
  const started = await requestJson(new URL('/v1/pairings', coordinatorUrl), {
    method: 'POST',
    body: { publicKey: keys.publicKeyPem, name: options.name },
  });
  if (started.status !== 201)
    throw new PairingError(
      `the coordinator refused to start pairing (HTTP ${started.status}): ${errorMessage(started.body)}`,
      'refused',
    );
  const pairing = started.body as StartedPairing;
  const link = new URL('/pair', coordinatorUrl);
  link.searchParams.set('code', pairing.userCode);
  const expiresAt = new Date(Date.now() + pairing.expiresIn * 1000);
  options.onCode({ userCode: pairing.userCode, link: link.toString(), expiresAt });

  let intervalSeconds = pairing.interval;
  for (;;) {
    await sleep(intervalSeconds * 1000, undefined, options.signal ? { signal: options.signal } : {});
    const polled = await requestJson(new URL('/v1/pairings/token', coordinatorUrl), {
      method: 'POST',
      body: { deviceCode: pairing.deviceCode },
    });
    if (polled.status === 429) {
      intervalSeconds += 5;
      continue;
    }
    if (polled.status !== 200)
      throw new PairingError(
        `the coordinator ended the pairing (HTTP ${polled.status}): ${errorMessage(polled.body)}`,
        'refused',
      );
    const poll = polled.body as PairingPoll;
    switch (poll.state) {
      case 'pending':
      case 'slow_down':
        intervalSeconds = poll.interval;
        continue;
      case 'expired':
        throw new PairingError(
          'the code expired before it was approved: pair again for a new one',
          'expired',
        );
      case 'approved': {
        const identity: NodeIdentity = { coordinatorUrl, nodeId: poll.nodeId, ...keys };
        await saveIdentity(options.stateDir, identity);
        return { identity, ownerId: poll.ownerId, ownerToken: poll.ownerToken };
      }
    }
  }
}
