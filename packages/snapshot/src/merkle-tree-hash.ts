import { createHash } from 'node:crypto';

const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

function leafHash(entry: Uint8Array): Buffer {
  return createHash('sha256').update(LEAF_PREFIX).update(entry).digest();
}

function nodeHash(left: Buffer, right: Buffer): Buffer {
  return createHash('sha256').update(NODE_PREFIX).update(left).update(right).digest();
}

/**
 * The Merkle Tree Hash of RFC 6962 §2.1 over SHA-256, computed as entries arrive, in O(log n) memory:
 * the empty tree hashes to SHA-256(""), a leaf to SHA-256(0x00 ‖ entry), an inner node to
 * SHA-256(0x01 ‖ left ‖ right), and a list of n > 1 entries splits at the largest power of two below n.
 * The stack holds the roots of the complete subtrees seen so far (sizes are the binary digits of the count);
 * folding it from the right gives exactly the RFC's split.
 */
export class MerkleTreeHash {
  private readonly stack: { size: number; hash: Buffer }[] = [];
  private count = 0;

  /** Appends the next entry (its bytes, hashed as a leaf). */
  add(entry: Uint8Array): void {
    let node = { size: 1, hash: leafHash(entry) };
    for (let top = this.stack.at(-1); top && top.size === node.size; top = this.stack.at(-1)) {
      this.stack.pop();
      node = { size: top.size * 2, hash: nodeHash(top.hash, node.hash) };
    }
    this.stack.push(node);
    this.count++;
  }

  /** Entries added so far. */
  get size(): number {
    return this.count;
  }

  /** The tree's root over the entries added so far, as hex. */
  root(): string {
    const last = this.stack.at(-1);
    if (!last) return createHash('sha256').digest('hex');
    let hash = last.hash;
    for (let i = this.stack.length - 2; i >= 0; i--) hash = nodeHash(this.stack[i]!.hash, hash);
    return hash.toString('hex');
  }
}
