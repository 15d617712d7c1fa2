/**
 * The key compose-go uses to collapse duplicate `ports` entries when it merges files
 * (override/uncity.go portIndexer), with Go's formatting quirks.
 */

// ---------------------------------------------------------------------------
// 7. De-duplication key (compose-go override/uncity.go portIndexer)
// ---------------------------------------------------------------------------

export type PortItemForKey =
  | { kind: 'int'; value: number }
  | { kind: 'str'; value: string }
  | {
      kind: 'map';
      host_ip?: string;
      published?: string | number;
      /** The YAML value of `published` was an int (Go int), not a float. */
      publishedIsInt: boolean;
      target: number | string;
      protocol?: string;
    }
  | { kind: 'other' };

/**
 * The key compose-go uses to collapse duplicate `ports` entries (last one wins, at the
 * first one's position). Reproduces its quirks:
 * - int item → decimal; string item → the raw string; floats, booleans, null → "";
 * - mapping → Go `fmt.Sprintf("%s:%s:%d/%s", host_ip, published, target, protocol)` on
 *   untyped values: missing host_ip → "0.0.0.0" (so "8080:80" and "0.0.0.0:8080:80" match),
 *   missing protocol → "tcp", missing published → `%!s(<nil>)`, int published →
 *   `%!s(int=8080)`, float published → `%!s(float64=8080)`, string target → `%!d(string=80)`.
 */
export function portItemDedupeKey(item: PortItemForKey): string {
  switch (item.kind) {
    case 'int':
      return String(item.value);
    case 'str':
      return item.value;
    case 'other':
      return '';
    case 'map': {
      const host = item.host_ip === undefined ? '0.0.0.0' : item.host_ip;
      const pub = item.published;
      let published: string;
      if (pub === undefined) published = '%!s(<nil>)';
      else if (typeof pub === 'string') published = pub;
      else if (item.publishedIsInt && Number.isInteger(pub)) published = `%!s(int=${pub})`;
      else published = `%!s(float64=${goFormatFloat(pub)})`;
      const t = item.target;
      let target: string;
      if (typeof t === 'string') target = `%!d(string=${t})`;
      else if (Number.isInteger(t)) target = String(t);
      else target = `%!d(float64=${goFormatFloat(t)})`;
      const protocol = item.protocol === undefined ? 'tcp' : item.protocol;
      return `${host}:${published}:${target}/${protocol}`;
    }
  }
}

/** Go's %v for a float64 (%g, shortest digits): exponent form when exp < -4 or exp >= 6. */
function goFormatFloat(f: number): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Infinity) return '+Inf';
  if (f === -Infinity) return '-Inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const e = f.toExponential(); // shortest round-trip digits, e.g. "8.08e+3"
  const ePos = e.indexOf('e');
  const exp = Number(e.slice(ePos + 1));
  if (exp < -4 || exp >= 6) {
    const mant = e.slice(0, ePos);
    const sign = exp < 0 ? '-' : '+';
    const abs = Math.abs(exp);
    return `${mant}e${sign}${abs < 10 ? '0' : ''}${abs}`;
  }
  return String(f);
}
