/**
 * portlint as a docker CLI plugin: `docker portlint check`, `docker portlint audit`.
 *
 * The docker CLI finds plugins as executables named docker-<name> in its cli-plugins folders
 * (~/.docker/cli-plugins, or $DOCKER_CONFIG/cli-plugins). It first runs
 * `docker-portlint docker-cli-plugin-metadata` and expects a JSON description; then
 * `docker [GLOBAL OPTIONS] portlint ARGS` runs `docker-portlint [GLOBAL OPTIONS] portlint ARGS`.
 * The global options are the CLI's; the engine they choose reaches portlint through the
 * environment variables it already reads (see src/live/endpoint.ts), so `docker --context prod
 * portlint audit` audits what `docker --context prod ps` lists.
 */
import { basename, dirname, resolve } from 'node:path';
import { version } from '../version';

export const PLUGIN_NAME = 'portlint';
export const PLUGIN_EXECUTABLE = `docker-${PLUGIN_NAME}`;
const METADATA_COMMAND = 'docker-cli-plugin-metadata';

/** What `docker-portlint docker-cli-plugin-metadata` prints. */
export function pluginMetadata(): string {
  return `${JSON.stringify({
    SchemaVersion: '0.1.0',
    Vendor: 'portlint',
    Version: version,
    ShortDescription: 'Lint port publishing: exposure, collisions, troublesome ranges',
  })}\n`;
}

/** The docker CLI's global options that take a value (pflag spellings, long and short). */
const VALUE_OPTIONS: Record<string, string> = {
  '--config': 'config',
  '-c': 'context',
  '--context': 'context',
  '-H': 'host',
  '--host': 'host',
  '-l': 'log-level',
  '--log-level': 'log-level',
  '--tlscacert': 'tlscacert',
  '--tlscert': 'tlscert',
  '--tlskey': 'tlskey',
};
const FLAG_OPTIONS: Record<string, string> = { '-D': 'debug', '--debug': 'debug', '--tls': 'tls', '--tlsverify': 'tlsverify' };

/** The global options the CLI passed on, and which TLS file the CLI names by default. */
const TLS_FILES = { tlscacert: 'ca.pem', tlscert: 'cert.pem', tlskey: 'key.pem' } as const;

export interface PluginInvocation {
  /** The arguments for portlint's own command line, as process.argv spells them. */
  argv: string[];
  /** The CLI's global options, as changes to the variables portlint reads (undefined: unset it). */
  env: Record<string, string | undefined>;
}

/** A global option portlint cannot honour; the run stops with exit 2 and this message. */
export class PluginUsageError extends Error {}

/** True when this process was started as the docker CLI plugin (by the name it was run under). */
export function isPluginExecutable(argv1: string | undefined): boolean {
  return !!argv1 && /(^|[\\/])docker-portlint(\.js)?$/.test(argv1);
}

/** `docker-portlint docker-cli-plugin-metadata`: the CLI asking what this plugin is. */
export function isMetadataRequest(argv: readonly string[]): boolean {
  return argv[2] === METADATA_COMMAND;
}

/**
 * The portlint command line of a plugin run: `docker-portlint [GLOBAL OPTIONS] portlint ARGS`
 * becomes `portlint ARGS`, with the global options in `env`.
 */
export function pluginInvocation(argv: readonly string[]): PluginInvocation {
  const given: Record<string, string | true> = {};
  let i = 2;
  for (; i < argv.length && argv[i] !== PLUGIN_NAME; i++) {
    const arg = argv[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (FLAG_OPTIONS[name]) {
      const value = eq > 0 ? arg.slice(eq + 1) : 'true';
      if (value !== 'false') given[FLAG_OPTIONS[name]] = true;
      continue;
    }
    const long = VALUE_OPTIONS[name];
    const short = !long && /^-[cHl]./.test(arg) ? VALUE_OPTIONS[arg.slice(0, 2)] : undefined;
    if (long && eq > 0) given[long] = arg.slice(eq + 1);
    else if (short) given[short] = arg.slice(arg[2] === '=' ? 3 : 2);
    else if (long && i + 1 < argv.length) given[long] = argv[++i];
    else throw new PluginUsageError(`docker portlint: unexpected ${JSON.stringify(arg)} before the plugin name (run as docker [OPTIONS] portlint COMMAND)`);
  }
  const env: Record<string, string | undefined> = {};
  if (typeof given.host === 'string' && typeof given.context === 'string') {
    throw new PluginUsageError('docker portlint: conflicting options: either specify --host or --context, not both');
  }
  if (typeof given.config === 'string') env.DOCKER_CONFIG = given.config;
  if (typeof given.context === 'string') {
    // As in the CLI, --context wins over DOCKER_HOST.
    env.DOCKER_CONTEXT = given.context;
    env.DOCKER_HOST = undefined;
  }
  if (typeof given.host === 'string') env.DOCKER_HOST = given.host;
  if (given.tls) env.DOCKER_TLS = '1';
  if (given.tlsverify) env.DOCKER_TLS_VERIFY = '1';
  if (given.debug) env.PORTLINT_DEBUG = '1';
  const certPath = tlsFolder(given);
  if (certPath) env.DOCKER_CERT_PATH = certPath;
  return { argv: [argv[0], argv[1], ...argv.slice(i + 1)], env };
}

/**
 * The folder of the TLS files named by --tlscacert, --tlscert and --tlskey. portlint reads TLS
 * files as DOCKER_CERT_PATH names them (one folder, the CLI's standard file names), so options
 * naming other files are refused rather than silently replaced by the defaults.
 */
function tlsFolder(given: Record<string, string | true>): string | undefined {
  const named = (Object.keys(TLS_FILES) as (keyof typeof TLS_FILES)[]).filter((k) => typeof given[k] === 'string');
  if (!named.length) return undefined;
  const folders = new Set(named.map((k) => resolve(dirname(given[k] as string))));
  const [folder] = folders;
  const odd = named.find((k) => basename(given[k] as string) !== TLS_FILES[k]);
  if (folders.size > 1 || odd) {
    const standard = Object.values(TLS_FILES).join(', ');
    throw new PluginUsageError(`docker portlint: TLS files are read from one folder with the names ${standard}; ${odd ? `--${odd} ${given[odd]} is not named so` : 'the --tls* options name more than one folder'}: put them in one folder and set DOCKER_CERT_PATH to it`);
  }
  return folder;
}
