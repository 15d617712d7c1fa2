/**
 * Which Docker Engines to talk to. With no --host, --context or --all-contexts, one engine,
 * chosen the way the docker CLI chooses it:
 *   1. DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH for tcp://)
 *   2. DOCKER_CONTEXT, else `currentContext` of <config>/config.json, where <config> is
 *      DOCKER_CONFIG or ~/.docker; a context's endpoint is in
 *      <config>/contexts/meta/<sha256 of its name>/meta.json and its TLS files in
 *      <config>/contexts/tls/<sha256>/docker/{ca,cert,key}.pem
 *   3. the default socket, unix:///var/run/docker.sock.
 * Otherwise every --host, every --context and (--all-contexts) every context of the store, each
 * once: a fleet. Pure: files are read through the given reader, so tests can hand it anything.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const DEFAULT_SOCKET = '/var/run/docker.sock';

export interface TlsFiles {
  /** Verify the Engine's certificate against `ca`. */
  verify: boolean;
  ca?: string;
  cert?: string;
  key?: string;
}

export type Endpoint =
  | { kind: 'unix'; url: string; source: string; socketPath: string }
  | { kind: 'npipe'; url: string; source: string; socketPath: string }
  | { kind: 'tcp'; url: string; source: string; host: string; port: number; tls?: TlsFiles }
  | { kind: 'ssh'; url: string; source: string; host: string; port?: number; username?: string; socketPath?: string };

/** An engine of the run: how findings name it, and where it is. */
export interface EngineTarget {
  /** The context name, the address as given (--host, DOCKER_HOST), or "default" for the default socket. */
  name: string;
  endpoint: Endpoint;
}

/** An engine that was asked for but cannot even be addressed (a missing context, a bad address). */
export interface TargetError {
  name: string;
  message: string;
}

/** Which engines the command line asks for. */
export interface EngineSelection {
  hosts: readonly string[];
  contexts: readonly string[];
  allContexts: boolean;
}

export interface EndpointEnv {
  env: Record<string, string | undefined>;
  homedir: string;
  /** File text, or undefined when it cannot be read. */
  readFile: (path: string) => string | undefined;
  exists: (path: string) => boolean;
  /** Entry names of a folder ([] when it cannot be read); only --all-contexts lists folders. */
  listDir?: (path: string) => string[];
}

/** A bad --host, DOCKER_HOST or context: portlint stops with exit 2. */
export class EndpointError extends Error {}

export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

function configDirOf(o: EndpointEnv): string {
  return o.env.DOCKER_CONFIG || join(o.homedir, '.docker');
}

/** The one engine the docker CLI would use with no --host or --context (see the module comment). */
function implicitTarget(o: EndpointEnv): EngineTarget {
  const configDir = configDirOf(o);
  const dockerHost = o.env.DOCKER_HOST;
  if (dockerHost) return { name: dockerHost.trim(), endpoint: fromDockerHost(dockerHost, 'DOCKER_HOST', o) };
  let context = o.env.DOCKER_CONTEXT;
  let contextSource = 'DOCKER_CONTEXT';
  if (!context) {
    const configPath = join(configDir, 'config.json');
    const text = o.readFile(configPath);
    if (text !== undefined) {
      let config: unknown;
      try {
        config = JSON.parse(text);
      } catch {
        throw new EndpointError(`${configPath} is not valid JSON, so the current docker context cannot be read; fix the file, or choose the engine with --host or DOCKER_HOST`);
      }
      const current = (config as { currentContext?: unknown } | null)?.currentContext;
      if (typeof current === 'string' && current) {
        context = current;
        contextSource = `currentContext in ${configPath}`;
      }
    }
  }
  if (context && context !== 'default') return { name: context, endpoint: contextEndpoint(context, contextSource, configDir, o) };
  return { name: 'default', endpoint: defaultSocket() };
}

function defaultSocket(): Endpoint {
  return { kind: 'unix', url: `unix://${DEFAULT_SOCKET}`, source: 'the default socket', socketPath: DEFAULT_SOCKET };
}

/**
 * The docker CLI's "default" context: DOCKER_HOST (with its TLS variables) when set, else the
 * default socket.
 */
function defaultContext(o: EndpointEnv): Endpoint {
  const dockerHost = o.env.DOCKER_HOST;
  return dockerHost ? fromDockerHost(dockerHost, 'the default context (DOCKER_HOST)', o) : defaultSocket();
}

/** DOCKER_HOST with the TLS variables that go with it. */
function fromDockerHost(value: string, source: string, o: EndpointEnv): Endpoint {
  return parseHost(value, source, envTls(o, configDirOf(o)));
}

/** Names of the contexts in the store (<config>/contexts/meta/<sha256>/meta.json), sorted. */
export function storedContexts(o: EndpointEnv): string[] {
  const metaDir = join(configDirOf(o), 'contexts', 'meta');
  const names: string[] = [];
  for (const entry of o.listDir?.(metaDir) ?? []) {
    const text = o.readFile(join(metaDir, entry, 'meta.json'));
    if (text === undefined) continue;
    try {
      const name = (JSON.parse(text) as { Name?: unknown } | null)?.Name;
      if (typeof name === 'string' && name && contextDirName(name) === entry) names.push(name);
    } catch {
      // A broken meta file names no context the CLI could use either.
    }
  }
  return names.sort();
}

/**
 * The engines of a run. With nothing selected, the docker CLI's one engine (an unusable choice
 * throws, as for a single engine there is nothing else to check). Otherwise every --host, every
 * --context and, with --all-contexts, every stored context (and the default context when
 * DOCKER_HOST is set or the default socket exists: it is implicit, and a machine that only
 * reaches remote engines has none). A target that cannot be addressed is returned as an error,
 * so the others are still read. The same address is read once, under its first name. `order`
 * names every engine of the run, read or not: --host ones, then --context, then the store.
 */
export function selectEngines(sel: EngineSelection, o: EndpointEnv): { targets: EngineTarget[]; errors: TargetError[]; order: string[] } {
  if (!sel.hosts.length && !sel.contexts.length && !sel.allContexts) {
    const target = implicitTarget(o);
    return { targets: [target], errors: [], order: [target.name] };
  }
  const configDir = configDirOf(o);
  const targets: EngineTarget[] = [];
  const errors: TargetError[] = [];
  const order: string[] = [];
  const add = (name: string, make: () => Endpoint) => {
    if (order.includes(name)) return;
    try {
      const endpoint = make();
      if (targets.some((t) => t.endpoint.url === endpoint.url)) return;
      targets.push({ name, endpoint });
    } catch (e) {
      if (!(e instanceof EndpointError)) throw e;
      errors.push({ name, message: e.message });
    }
    order.push(name);
  };
  for (const host of sel.hosts) add(host.trim(), () => parseHost(host, '--host', envTls(o, configDir)));
  const contextTarget = (name: string, source: string) => () => (name === 'default' ? defaultContext(o) : contextEndpoint(name, source, configDir, o));
  for (const name of sel.contexts) add(name, contextTarget(name, '--context'));
  if (sel.allContexts) {
    if (o.env.DOCKER_HOST || o.exists(DEFAULT_SOCKET)) add('default', contextTarget('default', '--all-contexts'));
    for (const name of storedContexts(o)) add(name, contextTarget(name, '--all-contexts'));
  }
  return { targets, errors, order };
}

function contextEndpoint(name: string, source: string, configDir: string, o: EndpointEnv): Endpoint {
  const dir = contextDirName(name);
  const metaPath = join(configDir, 'contexts', 'meta', dir, 'meta.json');
  const text = o.readFile(metaPath);
  if (text === undefined) {
    throw new EndpointError(`docker context "${name}" (from ${source}) does not exist: ${metaPath} is missing; run docker context ls, or choose the engine with --host`);
  }
  let meta: { Endpoints?: { docker?: { Host?: unknown; SkipTLSVerify?: unknown } } };
  try {
    meta = JSON.parse(text);
  } catch {
    throw new EndpointError(`${metaPath} (docker context "${name}") is not valid JSON`);
  }
  const docker = meta?.Endpoints?.docker;
  if (!docker || typeof docker.Host !== 'string' || !docker.Host) {
    throw new EndpointError(`docker context "${name}" has no docker endpoint (Endpoints.docker.Host in ${metaPath})`);
  }
  const tlsDir = join(configDir, 'contexts', 'tls', dir, 'docker');
  const files = tlsFilesIn(tlsDir, o);
  const tls: TlsFiles | undefined = files.ca || files.cert || files.key ? { verify: docker.SkipTLSVerify !== true, ...files } : undefined;
  return parseHost(docker.Host, `docker context "${name}"`, tls);
}

/** ca.pem, cert.pem and key.pem in `dir`, those that exist. */
function tlsFilesIn(dir: string, o: EndpointEnv): Pick<TlsFiles, 'ca' | 'cert' | 'key'> {
  const file = (f: string) => (o.exists(join(dir, f)) ? join(dir, f) : undefined);
  return { ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') };
}

/** TLS settings from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH (for --host and DOCKER_HOST). */
function envTls(o: EndpointEnv, configDir: string): TlsFiles | undefined {
  const verify = !!o.env.DOCKER_TLS_VERIFY;
  const tls = verify || !!o.env.DOCKER_TLS;
  if (!tls) return undefined;
  const dir = o.env.DOCKER_CERT_PATH || configDir;
  const out: TlsFiles = { verify, ...tlsFilesIn(dir, o) };
  if (verify && !out.ca) throw new EndpointError(`DOCKER_TLS_VERIFY is set but ${join(dir, 'ca.pem')} does not exist; set DOCKER_CERT_PATH to the folder holding ca.pem, cert.pem and key.pem`);
  return out;
}

/** Parses a docker host address: unix://, npipe://, tcp://, ssh://, or host:port. */
export function parseHost(value: string, source: string, tls?: TlsFiles): Endpoint {
  const v = value.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(v)?.[1]?.toLowerCase();
  if (scheme === 'unix') {
    const socketPath = v.slice('unix://'.length) || DEFAULT_SOCKET;
    return { kind: 'unix', url: `unix://${socketPath}`, source, socketPath };
  }
  if (scheme === 'npipe') {
    const socketPath = v.slice('npipe://'.length) || '//./pipe/docker_engine';
    return { kind: 'npipe', url: `npipe://${socketPath}`, source, socketPath };
  }
  if (scheme === 'ssh') {
    let u: URL;
    try {
      u = new URL(v);
    } catch {
      throw new EndpointError(`${source}: "${value}" is not a valid ssh:// address (ssh://[user@]host[:port])`);
    }
    if (!u.hostname) throw new EndpointError(`${source}: "${value}" names no host (ssh://[user@]host[:port])`);
    // As the docker CLI: a path names the engine's socket on the remote host.
    const socketPath = u.pathname && u.pathname !== '/' ? decodeURIComponent(u.pathname) : undefined;
    return {
      kind: 'ssh',
      url: v,
      source,
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : undefined,
      username: u.username ? decodeURIComponent(u.username) : undefined,
      ...(socketPath && { socketPath }),
    };
  }
  if (scheme === undefined || scheme === 'tcp' || scheme === 'http' || scheme === 'https') {
    const rest = scheme === undefined ? v : v.slice(scheme.length + 3);
    let u: URL;
    try {
      u = new URL(`tcp://${rest}`);
    } catch {
      throw new EndpointError(`${source}: "${value}" is not a docker host address (unix:///path, tcp://host:port or ssh://user@host)`);
    }
    if (!u.hostname || (u.pathname && u.pathname !== '/')) {
      throw new EndpointError(`${source}: "${value}" is not a docker host address (unix:///path, tcp://host:port or ssh://user@host)`);
    }
    const useTls = tls ?? (scheme === 'https' ? { verify: true } : undefined);
    const port = u.port ? Number(u.port) : useTls ? 2376 : 2375;
    const host = u.hostname.replace(/^\[|\]$/g, '');
    return { kind: 'tcp', url: `tcp://${u.hostname}:${port}`, source, host, port, ...(useTls && { tls: useTls }) };
  }
  throw new EndpointError(`${source}: "${value}" uses the unsupported scheme ${scheme}:// (use unix://, tcp:// or ssh://)`);
}

/** Whether the endpoint reaches an Engine on this machine (a local socket or a loopback TCP port). */
export function isLocalEndpoint(e: Endpoint): boolean {
  if (e.kind === 'unix' || e.kind === 'npipe') return true;
  if (e.kind === 'tcp') return e.host === 'localhost' || e.host === '::1' || /^127\./.test(e.host);
  return false;
}
