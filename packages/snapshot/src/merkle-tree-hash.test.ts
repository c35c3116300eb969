import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MerkleTreeHash } from './merkle-tree-hash.js';

/** RFC 6962 §2.1, written out as its recursive definition (independent of the streaming implementation). */
function rfc6962(entries: Buffer[]): Buffer {
  const sha = (...parts: Buffer[]): Buffer => createHash('sha256').update(Buffer.concat(parts)).digest();
  if (entries.length === 0) return sha();
  if (entries.length === 1) return sha(Buffer.from([0]), entries[0]!);
  let k = 1;
  while (k * 2 < entries.length) k *= 2;
  return sha(Buffer.from([1]), rfc6962(entries.slice(0, k)), rfc6962(entries.slice(k)));
}

describe('MerkleTreeHash', () => {
  it('gives the roots of the Certificate Transparency test vectors', () => {
    // The eight leaves of certificate-transparency's merkle_tree_test, and the root after each one.
    const leaves = [
      '',
      '00',
      '10',
      '2021',
      '3031',
      '40414243',
      '5051525354555657',
      '606162636465666768696a6b6c6d6e6f',
    ];
    const roots = [
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
      'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
      'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
      'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
      '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
      '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
      'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    ];
    const tree = new MerkleTreeHash();
    expect(tree.root()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    leaves.forEach((leaf, i) => {
      tree.add(Buffer.from(leaf, 'hex'));
      expect(tree.root()).toBe(roots[i]);
    });
  });

  it('equals the recursive definition for every size up to 70', () => {
    const entries: Buffer[] = [];
    const tree = new MerkleTreeHash();
    for (let n = 1; n <= 70; n++) {
      const entry = createHash('sha256').update(`record ${n}`).digest();
      entries.push(entry);
      tree.add(entry);
      expect(tree.root(), `size ${n}`).toBe(rfc6962(entries).toString('hex'));
      expect(tree.size).toBe(n);
    }
  });
});
