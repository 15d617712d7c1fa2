import { describe, expect, it } from 'vitest';
import { hostPortsAllowed, parsePortEntry, parsePortList } from '../../rules/exposure/allowed-ports';
import { firstPortOutside } from '../../src/model/listeners';
import { subtractIntervals } from '../../src/engine/words';
import type { Binding } from '../../src/model/types';

describe('exposure allowed-ports helper', () => {
  it('parsePortEntry: numbers and "a-b" strings only', () => {
    expect(parsePortEntry(443)).toEqual({ start: 443, end: 443 });
    expect(parsePortEntry('443')).toEqual({ start: 443, end: 443 });
    expect(parsePortEntry('8000-8010')).toEqual({ start: 8000, end: 8010 });
    expect(parsePortEntry('8010-8000')).toBeUndefined();
    expect(parsePortEntry(65536)).toBeUndefined();
    expect(parsePortEntry(80.5)).toBeUndefined();
    expect(parsePortEntry('http')).toBeUndefined();
    expect(parsePortEntry('80-')).toBeUndefined();
    expect(parsePortEntry(null)).toBeUndefined();
  });

  it('parsePortList throws on the first bad entry, naming the option and index', () => {
    expect(parsePortList(undefined, 'allowedPorts')).toEqual([]);
    expect(parsePortList([80, '90-91'], 'allowedPorts')).toEqual([{ start: 80, end: 80 }, { start: 90, end: 91 }]);
    expect(() => parsePortList([80, 'x'], 'allowedPorts')).toThrow('option allowedPorts[1]: "x" is not a port');
    expect(() => parsePortList('80' as never, 'allowedPorts')).toThrow(/must be a list/);
  });

  it('firstPortOutside: the union of the set, adjacent intervals join', () => {
    const set = [{ start: 91, end: 100 }, { start: 80, end: 90 }];
    expect(firstPortOutside(85, 95, set)).toBe(96);
    expect(firstPortOutside(80, 100, set)).toBe(101);
    expect(firstPortOutside(79, 80, set)).toBe(79);
    expect(firstPortOutside(100, 101, set)).toBe(101);
    expect(firstPortOutside(85, 95, [{ start: 80, end: 89 }, { start: 91, end: 100 }])).toBe(90);
    // An interval inside an earlier one must not pull coverage back.
    expect(firstPortOutside(80, 105, [{ start: 80, end: 100 }, { start: 85, end: 90 }, { start: 101, end: 105 }])).toBe(106);
  });

  it('subtractIntervals: what is left outside the cuts, merged, in any input order', () => {
    const iv = (start: number, end = start) => ({ start, end });
    expect(subtractIntervals([iv(1, 1023)], [iv(443), iv(80)])).toEqual([iv(1, 79), iv(81, 442), iv(444, 1023)]);
    expect(subtractIntervals([iv(80), iv(443)], [iv(80), iv(443)])).toEqual([]);
    expect(subtractIntervals([iv(90, 100), iv(80, 89)], [])).toEqual([iv(80, 100)]);
    expect(subtractIntervals([iv(80, 90)], [iv(70, 80), iv(90, 95)])).toEqual([iv(81, 89)]);
    expect(subtractIntervals([iv(80, 90), iv(100, 110)], [iv(85, 105)])).toEqual([iv(80, 84), iv(106, 110)]);
  });

  it('hostPortsAllowed: a random host port is never allowed', () => {
    const b = (hostPorts?: { start: number; end: number }) => ({ hostPorts, count: 1 }) as Binding;
    expect(hostPortsAllowed(b({ start: 443, end: 443 }), [{ start: 443, end: 443 }])).toBe(true);
    expect(hostPortsAllowed(b({ start: 442, end: 443 }), [{ start: 443, end: 443 }])).toBe(false);
    expect(hostPortsAllowed(b(undefined), [{ start: 0, end: 65535 }])).toBe(false);
    expect(hostPortsAllowed(b({ start: 443, end: 443 }), [])).toBe(false);
  });
});
