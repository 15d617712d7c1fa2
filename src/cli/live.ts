/**
 * What every command that reads a Docker host shares (`audit`, `check --live`): the engine
 * options, choosing the engine, reading it, and the settings a live host supplies. The live
 * modules are required inside these functions, so a command that never reaches a Docker host
 * never loads them (nor node's TLS stack).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Settings } from '../engine/rule';
import type { EngineTarget, TargetError } from '../live/endpoint';
import type { Collected, CollectOptions, EngineRead } from '../live/collect';
import { EXIT_FAILURE, UsageError, collect, warn, type SetExit } from './shared';

export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface EngineOptionValues {
  host: string[];
  context: string[];
  allContexts?: boolean;
  timeout: number;
}

/** The longest a timer waits (2^31 - 1 ms); a longer --timeout would fire at once. */
const MAX_TIMEOUT_SECONDS = 2_147_483;

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0)) throw new InvalidArgumentError('expected a number of seconds greater than 0, such as 10 or 0.5');
  if (n > MAX_TIMEOUT_SECONDS) throw new InvalidArgumentError(`at most ${MAX_TIMEOUT_SECONDS} seconds (24 days)`);
  return n;
}

/** --host, --context and --timeout, for every command that reads a Docker host; `fleet` adds --all-contexts and makes the first two repeatable in spirit (audit). */
export function addEngineOptions(cmd: Command, fleet = false): Command {
  cmd
    .addOption(
      new Option('--host <url>', `Docker engine: unix:///path, tcp://host:port or ssh://user@host${fleet ? ', repeatable' : ''}`)
        .argParser(collect)
        .default([], 'DOCKER_HOST, then the current docker context, then unix:///var/run/docker.sock'),
    )
    .addOption(new Option('--context <name>', `docker context to read${fleet ? ', repeatable' : ''} (from the docker CLI's context store; DOCKER_CONFIG moves it)`).argParser(collect).default([], 'none'));
  if (fleet) cmd.option('--all-contexts', "every context of the docker CLI's context store (and the default context when DOCKER_HOST is set or the default socket exists)", false);
  return cmd.option('--timeout <seconds>', 'how long to wait for each answer of an engine', parseSeconds, DEFAULT_TIMEOUT_SECONDS);
}

function endpointEnv(): import('../live/endpoint').EndpointEnv {
  return {
    env: process.env,
    homedir: (require('node:os') as typeof import('node:os')).homedir(), // only here: commands that read no engine skip node:os
    readFile: (p) => {
      try {
        return readFileSync(p, 'utf8');
      } catch {
        return undefined;
      }
    },
    exists: existsSync,
    listDir: (p) => {
      try {
        return readdirSync(p);
      } catch {
        return [];
      }
    },
  };
}

/**
 * The engines to read, chosen like the docker CLI does (see live/endpoint). An unusable single
 * choice is printed and gives undefined (exit 2); in a fleet, a target that cannot be addressed
 * is returned with the others, to be reported with them.
 */
export function chooseEngines(o: EngineOptionValues, setExit: SetExit): { targets: EngineTarget[]; errors: TargetError[]; order: string[] } | undefined {
  const { selectEngines, EndpointError, DEFAULT_SOCKET } = require('../live/endpoint') as typeof import('../live/endpoint');
  try {
    const chosen = selectEngines({ hosts: o.host, contexts: o.context, allContexts: !!o.allContexts }, endpointEnv());
    if (!chosen.targets.length && !chosen.errors.length) {
      throw new UsageError(`--all-contexts: the docker CLI's context store (${process.env.DOCKER_CONFIG || '~/.docker'}/contexts) holds no context, and there is no default engine (DOCKER_HOST is not set and ${DEFAULT_SOCKET} does not exist)`);
    }
    return chosen;
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    warn(`portlint: ${e.message}`);
    setExit(EXIT_FAILURE);
    return undefined;
  }
}

/** The one engine of `check --live`; more than one is a usage error. */
export function chooseEndpoint(o: EngineOptionValues, setExit: SetExit): EngineTarget | undefined {
  if (o.host.length + o.context.length > 1) throw new UsageError('check --live compares the project with one engine: give one --host or --context (portlint audit reads several)');
  const chosen = chooseEngines(o, setExit);
  if (!chosen) return undefined;
  if (chosen.errors.length) {
    warn(`portlint: ${chosen.errors[0].message}`);
    setExit(EXIT_FAILURE);
    return undefined;
  }
  return chosen.targets[0];
}

/** Reads one host; a LiveError is printed (exit 2) and gives undefined. */
export async function readLive(target: EngineTarget, o: Omit<CollectOptions, 'cwd' | 'env' | 'endpoint' | 'name'>, setExit: SetExit): Promise<Collected | undefined> {
  const [read] = await readFleet([target], o);
  if (read.error !== undefined) {
    warn(`portlint: ${read.error}`);
    setExit(EXIT_FAILURE);
    return undefined;
  }
  return read.collected;
}

/** Reads every engine at once; failures come back in the reads (see collectFleet). */
export async function readFleet(targets: readonly EngineTarget[], o: Omit<CollectOptions, 'cwd' | 'env' | 'endpoint' | 'name'>): Promise<EngineRead[]> {
  const { collectFleet } = require('../live/collect') as typeof import('../live/collect');
  const reads = await collectFleet(targets, { ...o, cwd: process.cwd(), env: process.env });
  if (process.env.PORTLINT_DEBUG) {
    for (const r of reads) {
      const calls = r.collected?.calls ?? [];
      warn(`portlint: engine ${r.target.name}: ${calls.length} engine API calls: ${calls.map((c) => `${c.method} ${c.path}`).join(', ')}`);
    }
  }
  return reads;
}

/** Settings a live host supplies: its rootless mode, ephemeral range and first unprivileged port. */
export function liveSettings(base: Settings, collected: Collected): Settings {
  const { engine, host } = collected.live;
  return {
    ...base,
    rootless: base.rootless || engine.rootless,
    ...(host?.ephemeralRange && { ephemeralRange: host.ephemeralRange }),
    ...(host?.unprivilegedPortStart !== undefined && { unprivilegedPortStart: host.unprivilegedPortStart }),
  };
}

