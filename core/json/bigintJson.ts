/** JSON that keeps bigints: they are written as `{"$bigint":"123"}` and read back as bigints. */
export function stringifyWithBigints(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) => (typeof item === 'bigint' ? { $bigint: item.toString() } : item));
}

export function parseWithBigints<T>(text: string): T {
  return JSON.parse(text, (_, item: unknown) =>
    item !== null && typeof item === 'object' && typeof (item as { $bigint?: unknown }).$bigint === 'string'
      ? BigInt((item as { $bigint: string }).$bigint)
      : item,
  ) as T;
}
