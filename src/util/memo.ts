/**
 * A function's results by key, for look-ups that every binding or finding repeats with few
 * distinct keys (addresses, file paths). Bounded: past `limit` keys it starts afresh.
 */
export function memoize<V>(compute: (key: string) => V, limit = 4096): (key: string) => V {
  const results = new Map<string, V>();
  return (key) => {
    let value = results.get(key);
    if (value === undefined) {
      value = compute(key);
      if (results.size >= limit) results.clear();
      results.set(key, value);
    }
    return value;
  };
}
