import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { generateNodeKeyPair, type NodeKeyPair } from '@gleaner/core';
import { requestJson } from './json-request.js';

/** A node's identity with one coordinator: its id and key pair. */
export interface NodeIdentity extends NodeKeyPair {
  coordinatorUrl: string;
  nodeId: string;
}

/** Options for {@link ensureIdentity}. */
export interface EnsureIdentityOptions {
  coordinatorUrl: string;
  ownerToken: string;
  /** Folder where the identity is kept (file mode 0600). */
  stateDir: string;
  /** A readable name shown to the owner. */
  name: string;
}

/** Raised when the coordinator refuses to register the node. */
export class RegistrationError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'RegistrationError';
  }
}

/** The file a node's identity with `coordinatorUrl` is kept in, under `stateDir`. */
export function identityFile(stateDir: string, coordinatorUrl: string): string {
  const slug = coordinatorUrl.replace(/^https?:\/\//, '').replace(/[^A-Za-z0-9]+/g, '_');
  return path.join(stateDir, `identity-${slug}.json`);
}

/**
 * Loads the node's identity for a coordinator, or makes a key pair, registers its public key with the owner
 * token and saves it. The private key never leaves this machine.
 */
export async function ensureIdentity(options: EnsureIdentityOptions): Promise<NodeIdentity> {
  const file = identityFile(options.stateDir, options.coordinatorUrl);
  try {
    return JSON.parse(await readFile(file, 'utf8')) as NodeIdentity;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = generateNodeKeyPair();
  const response = await requestJson(new URL('/v1/nodes', options.coordinatorUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${options.ownerToken}` },
    body: { publicKey: keys.publicKeyPem, name: options.name },
  });
  const body = (response.body ?? {}) as { nodeId?: string; error?: { message?: string } };
  if (!response.ok || typeof body.nodeId !== 'string') {
    throw new RegistrationError(
      `the coordinator refused to register this node (HTTP ${response.status}): ${body.error?.message ?? 'no reason given'}`,
      response.status,
    );
  }
  const identity: NodeIdentity = { coordinatorUrl: options.coordinatorUrl, nodeId: body.nodeId, ...keys };
  await saveIdentity(options.stateDir, identity);
  return identity;
}

/** Writes a node's identity where {@link ensureIdentity} looks for it (folder 0700, file 0600). */
export async function saveIdentity(stateDir: string, identity: NodeIdentity): Promise<void> {
  await mkdir(stateDir, { recursive: true, mode: 0o700 });
  await writeFile(identityFile(stateDir, identity.coordinatorUrl), JSON.stringify(identity, null, 2), {
    mode: 0o600,
  });
}
