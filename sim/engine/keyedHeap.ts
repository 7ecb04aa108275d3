/**
 * A min-heap of values ordered by two numeric keys (the second breaks ties). The simulator's event list and queues
 * hold millions of entries; parallel arrays and numeric keys keep that cheap, unlike a comparator closure. Each node
 * has four children: half the levels of a binary heap, and a node's children side by side in memory, which is what
 * a pop of a large heap spends its time on. Equal key pairs come out in no particular order (callers key uniquely).
 */
export class KeyedHeap<T> {
  private readonly first: number[] = [];
  private readonly second: number[] = [];
  private readonly values: T[] = [];

  get size(): number {
    return this.values.length;
  }

  /** The smallest first key, or Infinity when empty. */
  peekKey(): number {
    return this.values.length > 0 ? this.first[0]! : Infinity;
  }

  peek(): T | undefined {
    return this.values[0];
  }

  push(first: number, second: number, value: T): void {
    const keysA = this.first;
    const keysB = this.second;
    const values = this.values;
    let i = values.length;
    keysA.push(first);
    keysB.push(second);
    values.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pa = keysA[parent]!;
      if (pa < first || (pa === first && keysB[parent]! <= second)) break;
      keysA[i] = pa;
      keysB[i] = keysB[parent]!;
      values[i] = values[parent]!;
      i = parent;
    }
    keysA[i] = first;
    keysB[i] = second;
    values[i] = value;
  }

  pop(): T | undefined {
    const keysA = this.first;
    const keysB = this.second;
    const values = this.values;
    if (values.length === 0) return undefined;
    const top = values[0];
    const lastA = keysA.pop()!;
    const lastB = keysB.pop()!;
    const last = values.pop()!;
    const size = values.length;
    if (size === 0) return top;
    let i = 0;
    for (;;) {
      const firstChild = 4 * i + 1;
      if (firstChild >= size) break;
      // The least of up to four children.
      let child = firstChild;
      let ca = keysA[child]!;
      let cb = keysB[child]!;
      const end = Math.min(firstChild + 4, size);
      for (let c = firstChild + 1; c < end; c++) {
        const a = keysA[c]!;
        if (a < ca || (a === ca && keysB[c]! < cb)) {
          child = c;
          ca = a;
          cb = keysB[c]!;
        }
      }
      if (lastA < ca || (lastA === ca && lastB <= cb)) break;
      keysA[i] = ca;
      keysB[i] = cb;
      values[i] = values[child]!;
      i = child;
    }
    keysA[i] = lastA;
    keysB[i] = lastB;
    values[i] = last;
    return top;
  }
}
