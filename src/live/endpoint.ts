/**
 * Which Docker Engine to talk to, chosen the way the docker CLI chooses it:
 *   1. --host
 *   2. DOCKER_HOST (with DOCKER_TLS_VERIFY / DOCKER_CERT_PATH for tcp://)
 *   3. DOCKER_CONTEXT, else `currentContext` of <config>/config.json, where <config> is
 *      DOCKER_CONFIG or ~/.docker; a context's endpoint is in
 *      <config>/contexts/meta/<sha256 of its name>/meta.json and its TLS files in
 *      <config>/contexts/tls/<sha256>/docker/{ca,cert,key}.pem
 *   4. the default socket, unix:///var/run/docker.sock.
 * Pure: files are read through the given reader, so tests can hand it anything.
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
  | { kind: 'ssh'; url: string; source: string; host: string; port?: number; username?: string };

export interface EndpointEnv {
  /** --host, when given. */
  host?: string;
  env: Record<string, string | undefined>;
  homedir: string;
  /** File text, or undefined when it cannot be read. */
  readFile: (path: string) => string | undefined;
  exists: (path: string) => boolean;
}

/** A bad --host, DOCKER_HOST or context: portlint stops with exit 2. */
export class EndpointError extends Error {}

export function contextDirName(name: string): string {
  return createHash('sha256').update(name).digest('hex');
}

export function selectEndpoint(o: EndpointEnv): Endpoint {
  const configDir = o.env.DOCKER_CONFIG || join(o.homedir, '.docker');
  if (o.host !== undefined && o.host !== '') return parseHost(o.host, '--host', envTls(o, configDir));
  const dockerHost = o.env.DOCKER_HOST;
  if (dockerHost) return parseHost(dockerHost, 'DOCKER_HOST', envTls(o, configDir));
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
  if (context && context !== 'default') return contextEndpoint(context, contextSource, configDir, o);
  return { kind: 'unix', url: `unix://${DEFAULT_SOCKET}`, source: 'the default socket', socketPath: DEFAULT_SOCKET };
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
  const file = (f: string) => (o.exists(join(tlsDir, f)) ? join(tlsDir, f) : undefined);
  const ca = file('ca.pem');
  const cert = file('cert.pem');
  const key = file('key.pem');
  const tls: TlsFiles | undefined = ca || cert || key ? { verify: docker.SkipTLSVerify !== true, ca, cert, key } : undefined;
  return parseHost(docker.Host, `docker context "${name}"`, tls);
}

/** TLS settings from DOCKER_TLS_VERIFY / DOCKER_TLS / DOCKER_CERT_PATH (for --host and DOCKER_HOST). */
function envTls(o: EndpointEnv, configDir: string): TlsFiles | undefined {
  const verify = !!o.env.DOCKER_TLS_VERIFY;
  const tls = verify || !!o.env.DOCKER_TLS;
  if (!tls) return undefined;
  const dir = o.env.DOCKER_CERT_PATH || configDir;
  const file = (f: string) => (o.exists(join(dir, f)) ? join(dir, f) : undefined);
  const out: TlsFiles = { verify, ca: file('ca.pem'), cert: file('cert.pem'), key: file('key.pem') };
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
    return {
      kind: 'ssh',
      url: v,
      source,
      host: u.hostname.replace(/^\[|\]$/g, ''),
      port: u.port ? Number(u.port) : undefined,
      username: u.username ? decodeURIComponent(u.username) : undefined,
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
