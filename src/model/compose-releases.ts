/**
 * What older docker compose releases read differently in `ports`: the features the loader
 * records as it reads (Project.composeFeatures) and the release each arrived in. The short-syntax
 * parser is go-connections' `nat.ParsePortSpec`, whose version follows the compose release
 * (v0.4.0 up to 2.23.3, v0.5.0 from 2.24.0, v0.6.0 from 2.39.4, v0.7.0 from 5.2.0); portlint
 * parses as v0.7.0 does. Reference: port semantics §1.3, §1.4, §1.6, §3.2.
 */
import type { ComposeFeature } from './types';

export interface ComposeRelease {
  major: number;
  minor: number;
  patch: number;
}

/**
 * How each feature fares before the release that brought it: `rejects` (the file does not load)
 * or `differs` (it loads, with other ports).
 */
export const COMPOSE_FEATURE_SINCE: Record<ComposeFeature, { since: ComposeRelease; effect: 'rejects' | 'differs' }> = {
  'raw-ipv6': { since: { major: 2, minor: 24, patch: 0 }, effect: 'rejects' },
  'repeated-entry': { since: { major: 2, minor: 24, patch: 0 }, effect: 'rejects' },
  'override-tag': { since: { major: 2, minor: 24, patch: 4 }, effect: 'differs' },
  'app-protocol': { since: { major: 2, minor: 26, patch: 0 }, effect: 'rejects' },
  'plus-sign': { since: { major: 5, minor: 2, patch: 0 }, effect: 'rejects' },
};

/**
 * A docker compose release as people write it: "2.20", "v2.20.3", "2.24.0-rc.1" (the
 * pre-release part is dropped); undefined for anything else, and for docker-compose 1.x, which is
 * another program (Python) that reads files its own way.
 */
export function parseComposeRelease(text: string): ComposeRelease | undefined {
  const m = /^v?(\d{1,3})(?:\.(\d{1,3}))?(?:\.(\d{1,3}))?(?:[-+][0-9A-Za-z.-]+)?$/.exec(text.trim());
  if (!m) return undefined;
  const release = { major: Number(m[1]), minor: Number(m[2] ?? 0), patch: Number(m[3] ?? 0) };
  return release.major >= 2 ? release : undefined;
}

/** Why a text is not a release portlint can target, for the flag and the configuration file. */
export function composeReleaseProblem(text: string): string {
  const old = /^v?1(\.|$)/.test(text.trim());
  return old
    ? `${JSON.stringify(text)} is docker-compose 1.x, another program (Python) that reads files its own way; portlint targets docker compose 2.0 and later`
    : `${JSON.stringify(text)} is not a docker compose release; write one such as 2.20 or 2.24.4`;
}

export function compareReleases(a: ComposeRelease, b: ComposeRelease): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

export function formatRelease(r: ComposeRelease): string {
  return `${r.major}.${r.minor}.${r.patch}`;
}
