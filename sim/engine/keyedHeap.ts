/**
 * A binary min-heap of values ordered by two numeric keys (the second breaks ties). The simulator's event list and
 * queues hold millions of entries; parallel arrays and numeric keys keep that cheap, unlike a comparator closure.
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
      const parent = (i - 1) >> 1;
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
      const left = 2 * i + 1;
      if (left >= size) break;
      const right = left + 1;
      let child = left;
      if (right < size && (keysA[right]! < keysA[left]! || (keysA[right] === keysA[left] && keysB[right]! < keysB[left]!))) {
        child = right;
      }
      const ca = keysA[child]!;
      if (lastA < ca || (lastA === ca && lastB <= keysB[child]!)) break;
      keysA[i] = ca;
      keysB[i] = keysB[child]!;
      values[i] = values[child]!;
      i = child;
    }
    keysA[i] = lastA;
    keysB[i] = lastB;
    values[i] = last;
    return top;
  }
}
