// An ordered list kept in bounded blocks, so inserting into a large index costs a short splice
// instead of moving every later entry (a flat sorted array made bulk loads quadratic).

const MAX_BLOCK = 512;

export class SortedList<T> {
  private readonly blocks: T[][] = [];

  constructor(private readonly cmp: (a: T, b: T) => number) {}

  insert(v: T): void {
    if (this.blocks.length === 0) {
      this.blocks.push([v]);
      return;
    }
    let b = this.firstBlock((x) => this.cmp(x, v) < 0);
    if (b === this.blocks.length) b--;
    const block = this.blocks[b];
    block.splice(lowerIndex(block, (x) => this.cmp(x, v) < 0), 0, v);
    if (block.length > MAX_BLOCK) this.blocks.splice(b + 1, 0, block.splice(MAX_BLOCK >> 1));
  }

  /** Removes exactly `v` (by identity) among the elements that compare equal to it. */
  remove(v: T): boolean {
    const before = (x: T) => this.cmp(x, v) < 0;
    const first = this.firstBlock(before);
    for (let b = first; b < this.blocks.length; b++) {
      const block = this.blocks[b];
      for (let i = b === first ? lowerIndex(block, before) : 0; i < block.length; i++) {
        if (block[i] === v) {
          block.splice(i, 1);
          if (block.length === 0) this.blocks.splice(b, 1);
          return true;
        }
        if (this.cmp(block[i], v) > 0) return false;
      }
    }
    return false;
  }

  /**
   * Elements from the first one for which `before` is false onwards, or (backward) from the last
   * one for which `before` is true downwards. `before` must be true on a prefix of the list.
   */
  *walk(before: (x: T) => boolean, backward: boolean): Generator<T> {
    let b = this.firstBlock(before);
    let i = b < this.blocks.length ? lowerIndex(this.blocks[b], before) : 0;
    if (!backward) {
      for (; b < this.blocks.length; b++, i = 0) {
        const block = this.blocks[b];
        for (; i < block.length; i++) yield block[i];
      }
      return;
    }
    if (b === this.blocks.length) {
      b--;
      i = b >= 0 ? this.blocks[b].length : 0;
    }
    for (; b >= 0; b--) {
      const block = this.blocks[b];
      if (i < 0) i = block.length;
      for (i--; i >= 0; i--) yield block[i];
    }
  }

  /** The first block whose last element is not `before` (blocks.length when none). */
  private firstBlock(before: (x: T) => boolean): number {
    let lo = 0;
    let hi = this.blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const block = this.blocks[mid];
      if (before(block[block.length - 1])) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function lowerIndex<T>(block: T[], before: (x: T) => boolean): number {
  let lo = 0;
  let hi = block.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (before(block[mid])) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
