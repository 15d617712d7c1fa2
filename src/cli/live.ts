/**
 * What every command that reads a Docker host shares (`audit`, `check --live`): the engine
 * options, choosing the engine, reading it, and the settings a live host supplies. The live
 * modules are required inside these functions, so a command that never reaches a Docker host
 * never loads them (nor dockerode).
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import type { Settings } from '../engine/rule';
import type { Endpoint } from '../live/endpoint';
import type { Collected, CollectOptions } from '../live/collect';
import { EXIT_FAILURE, warn, type SetExit } from './shared';

export const DEFAULT_TIMEOUT_SECONDS = 10;

export interface EngineOptionValues {
  host?: string;
  timeout: number;
}

function parseSeconds(value: string): number {
  const n = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value.trim()) || !(n > 0)) throw new InvalidArgumentError('expected a number of seconds greater than 0, such as 10 or 0.5');
  return n;
}

/** --host and --timeout, for every command that reads a Docker host. */
export function addEngineOptions(cmd: Command): Command {
  return cmd
    .option('--host <url>', 'Docker engine: unix:///path, tcp://host:port or ssh://user@host (default: DOCKER_HOST, then the current docker context, then unix:///var/run/docker.sock)')
    .option('--timeout <seconds>', 'how long to wait for each answer of the engine', parseSeconds, DEFAULT_TIMEOUT_SECONDS);
}

/** The engine to use, chosen like the docker CLI does; a bad address or context is printed and gives undefined. */
export function chooseEndpoint(o: EngineOptionValues, setExit: SetExit): Endpoint | undefined {
  const { selectEndpoint, EndpointError } = require('../live/endpoint') as typeof import('../live/endpoint');
  try {
    return selectEndpoint({
      host: o.host,
      env: process.env,
      homedir: homedir(),
      readFile: (p) => {
        try {
          return readFileSync(p, 'utf8');
        } catch {
          return undefined;
        }
      },
      exists: existsSync,
    });
  } catch (e) {
    if (!(e instanceof EndpointError)) throw e;
    warn(`portlint: ${e.message}`);
    setExit(EXIT_FAILURE);
    return undefined;
  }
}

/** Reads the host; a LiveError is printed (exit 2) and gives undefined. */
export async function readLive(o: Omit<CollectOptions, 'cwd' | 'env'>, setExit: SetExit): Promise<Collected | undefined> {
  const { collectLive } = require('../live/collect') as typeof import('../live/collect');
  const { LiveError } = require('../live/client') as typeof import('../live/client');
  try {
    const collected = await collectLive({ ...o, cwd: process.cwd(), env: process.env });
    if (process.env.PORTLINT_DEBUG) warn(`portlint: ${collected.calls.length} engine API calls: ${collected.calls.map((c) => `${c.method} ${c.path}`).join(', ')}`);
    return collected;
  } catch (e) {
    if (!(e instanceof LiveError)) throw e;
    warn(`portlint: ${e.message}`);
    setExit(EXIT_FAILURE);
    return undefined;
  }
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

