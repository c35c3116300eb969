import type { Element } from 'domhandler';
import type { BlockIndex } from './collect-blocks.js';

/** Per-element text and link statistics over a block index, in O(1) per query. */
export class Stats {
  readonly textBefore: number[];
  readonly linksBefore: number[];
  constructor(readonly index: BlockIndex) {
    const n = index.blocks.length;
    this.textBefore = new Array<number>(n + 1);
    this.linksBefore = new Array<number>(n + 1);
    this.textBefore[0] = 0;
    this.linksBefore[0] = 0;
    for (let i = 0; i < n; i++) {
      const block = index.blocks[i]!;
      this.textBefore[i + 1] = this.textBefore[i]! + block.text.length;
      this.linksBefore[i + 1] = this.linksBefore[i]! + block.linkChars;
    }
  }
  text(el: Element): number {
    const r = this.index.ranges.get(el);
    return r ? this.textBefore[r.end]! - this.textBefore[r.start]! : 0;
  }
  linkDensity(el: Element): number {
    const r = this.index.ranges.get(el);
    if (!r) return 0;
    const text = this.textBefore[r.end]! - this.textBefore[r.start]!;
    return text === 0 ? 0 : (this.linksBefore[r.end]! - this.linksBefore[r.start]!) / text;
  }
}
