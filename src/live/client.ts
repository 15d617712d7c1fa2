/**
 * The only code that talks to a Docker Engine. Read-only by construction: the client has one
 * request primitive, `get`, which always sends GET; every public method (version, info,
 * containers, inspect, networks, services, tasks, nodes) goes through it. Plain node:http over a
 * unix socket, TCP (node:https with the TLS material) or ssh (the system ssh client running
 * `docker system dial-stdio`, ./ssh.ts), with keep-alive connections and a deadline per request.
 * An answer larger than MAX_BODY_BYTES is cut off, so a broken endpoint cannot exhaust memory.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { readFileSync } from 'node:fs';
import type { Endpoint } from './endpoint';
import { isObject } from '../util/json';

/** The Engine could not be reached or answered something unusable: portlint stops with exit 2. */
export class LiveError extends Error {}

/** Oldest Engine API portlint reads: 1.24 (Docker 1.12) lists Ports with IP, network mode and labels. */
export const MIN_API_VERSION = '1.24';

/**
 * ssh processes (so logins) per engine at most. Each is kept alive for the following requests;
 * two halve the wait for a batch of inspects. Measured with 200 containers (bench/fleet.mjs,
 * engine and ssh on this machine): 2 connections 1.05 s, 4 connections 1.40 s (each login
 * costs more than the overlap gains).
 */
const SSH_CONNECTIONS = 2;

/** The largest answer read: the list of 20,000 containers is about 40 MB; a broken endpoint stops here. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** One request the client sent. */
export interface ApiCall {
  method: 'GET';
  path: string;
}

/** How a request failed, for describeFailure: a socket error (code), or an HTTP status with the Engine's message. */
export type RequestFailure = Error & { code?: string; statusCode?: number; json?: unknown };

export class EngineClient {
  /** Every request sent, in order. */
  readonly calls: ApiCall[] = [];
  private readonly agent: HttpAgent;
  private readonly base: RequestOptions;
  private readonly send: typeof httpRequest;

  constructor(
    readonly endpoint: Endpoint,
    readonly timeoutMs: number,
  ) {
    this.send = httpRequest;
    const plain = () => new HttpAgent({ keepAlive: true, maxSockets: 8 });
    if (endpoint.kind === 'unix' || endpoint.kind === 'npipe') {
      this.agent = plain();
      this.base = { socketPath: endpoint.socketPath };
    } else if (endpoint.kind === 'tcp') {
      this.base = { host: endpoint.host, port: endpoint.port };
      if (endpoint.tls) {
        const read = (file: string | undefined, what: string) => {
          if (!file) return undefined;
          try {
            return readFileSync(file);
          } catch (e) {
            throw new LiveError(`cannot read the TLS ${what} ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
          }
        };
        // The TLS material lives on the agent: read and parsed once, for every connection it opens.
        this.agent = new HttpsAgent({
          keepAlive: true,
          maxSockets: 8,
          ca: read(endpoint.tls.ca, 'CA certificate'),
          cert: read(endpoint.tls.cert, 'client certificate'),
          key: read(endpoint.tls.key, 'client key'),
          rejectUnauthorized: endpoint.tls.verify,
          ...(!endpoint.tls.verify && { checkServerIdentity: () => undefined }),
        });
        this.send = httpsRequest as unknown as typeof httpRequest;
      } else this.agent = plain();
    } else {
      // HTTP over `ssh ... docker system dial-stdio`, one ssh process per connection (./ssh.ts).
      const { SshAgent } = require('./ssh') as typeof import('./ssh');
      this.agent = new SshAgent(endpoint, timeoutMs, SSH_CONNECTIONS);
      this.base = { host: 'docker' };
    }
  }

  /** Frees the connections (keep-alive sockets). */
  close(): void {
    this.agent?.destroy();
  }

  /** GET /version: the Engine and API version. */
  async version(): Promise<Record<string, unknown>> {
    const v = await this.get('/version');
    if (!isObject(v) || typeof v.ApiVersion !== 'string' || typeof v.Version !== 'string') throw this.notApi('/version', v, 'an object with Version and ApiVersion');
    return v;
  }

  /** GET /info: host name, OS, security options (rootless). */
  async info(): Promise<Record<string, unknown>> {
    const v = await this.get('/info');
    if (!isObject(v)) throw this.notApi('/info', v, 'an object');
    return v;
  }

  /** GET /containers/json: every container (with `all`), with server-side filters. */
  containers(all: boolean, filters: Record<string, string[]>): Promise<Array<Record<string, unknown>>> {
    return this.list('/containers/json', { ...(all && { all: 'true' }) }, filters, 'a list of containers', (c) => typeof c.Id === 'string');
  }

  /** GET /services?status=true (a swarm manager only): the services, with server-side filters. */
  services(filters: Record<string, string[]>, status: boolean): Promise<Array<Record<string, unknown>>> {
    return this.list('/services', { ...(status && { status: 'true' }) }, filters, 'a list of services', (s) => typeof s.ID === 'string');
  }

  /** GET /tasks of the tasks meant to run (desired-state running: those running and those waiting). */
  tasks(): Promise<Array<Record<string, unknown>>> {
    return this.list('/tasks', {}, { 'desired-state': ['running'] }, 'a list of tasks', (t) => typeof t.ID === 'string');
  }

  /** GET /nodes of the swarm. */
  nodes(): Promise<Array<Record<string, unknown>>> {
    return this.list('/nodes', {}, {}, 'a list of nodes', (n) => typeof n.ID === 'string');
  }

  /** GET of a list endpoint, with filters; an answer that is not a list of such objects is not the Engine API. */
  private async list(path: string, query: Record<string, string>, filters: Record<string, string[]>, what: string, valid: (x: Record<string, unknown>) => boolean): Promise<Array<Record<string, unknown>>> {
    const q = { ...query, ...(Object.keys(filters).length && { filters: JSON.stringify(filters) }) };
    const v = await this.get(path, q);
    if (!Array.isArray(v) || !v.every((x) => isObject(x) && valid(x))) throw this.notApi(path, v, what);
    return v as Array<Record<string, unknown>>;
  }

  /** GET /containers/{id}/json. Undefined when the container went away meanwhile (404). */
  async inspect(id: string): Promise<Record<string, unknown> | undefined> {
    const path = `/containers/${encodeURIComponent(id)}/json`;
    let v: unknown;
    try {
      v = await this.get(path);
    } catch (e) {
      if (e instanceof NotFound) return undefined;
      throw e;
    }
    if (!isObject(v) || typeof v.Id !== 'string' || !isObject(v.HostConfig)) throw this.notApi(path, v, 'a container with Id and HostConfig');
    return v;
  }

  /** GET /networks. */
  networks(): Promise<Array<Record<string, unknown>>> {
    return this.list('/networks', {}, {}, 'a list of networks', () => true);
  }

  /** The one request primitive: always GET, with a deadline. */
  private get(path: string, query?: Record<string, string>): Promise<unknown> {
    const qs = query && Object.keys(query).length ? `?${new URLSearchParams(query).toString()}` : '';
    this.calls.push({ method: 'GET', path: path + qs });
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    const fail = (err: RequestFailure) => {
      clearTimeout(timer);
      if (err.statusCode === 404 && path.startsWith('/containers/') && path !== '/containers/json') return new NotFound();
      return new LiveError(describeFailure(err, this.endpoint, path, timedOut, this.timeoutMs));
    };
    return new Promise((resolve, reject) => {
      const req = this.send({ ...this.base, agent: this.agent, method: 'GET', path: path + qs, signal: controller.signal, headers: { Accept: 'application/json' } }, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_BODY_BYTES) {
            res.destroy(Object.assign(new Error(`more than ${MAX_BODY_BYTES / 1024 / 1024} MiB`), { code: 'EBODYTOOLARGE' }));
            return;
          }
          chunks.push(chunk);
        });
        res.on('error', (err: RequestFailure) => reject(fail(err)));
        res.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown;
          try {
            body = JSON.parse(text);
          } catch {
            body = new NotJson(text);
          }
          const status = res.statusCode ?? 0;
          if (status === 200 || status === 304) return resolve(body);
          if (status >= 300 && status < 400) {
            const location = typeof res.headers.location === 'string' ? ` to ${res.headers.location}` : '';
            return reject(fail(Object.assign(new Error(`redirect (HTTP ${status})${location}`), { code: 'EREDIRECT', statusCode: status })));
          }
          const message = isObject(body) && typeof body.message === 'string' ? body.message : text.trim();
          reject(fail(Object.assign(new Error(`(HTTP code ${status}) ${message}`), { statusCode: status, json: body instanceof NotJson ? undefined : body })));
        });
      });
      req.on('error', (err: RequestFailure) => reject(fail(err)));
      req.end();
    });
  }

  private notApi(path: string, value: unknown, expected: string): LiveError {
    const got =
      value instanceof NotJson
        ? value.text.trim()
          ? `text that is not JSON (${JSON.stringify(value.text.trim().slice(0, 60))}${value.text.trim().length > 60 ? '…' : ''})`
          : 'an empty body'
        : `JSON that is not ${expected}`;
    return new LiveError(`${this.endpoint.url} answered GET ${path} with ${got}, not what the Docker Engine API documents; is this a Docker Engine? (engine chosen by ${this.endpoint.source})`);
  }
}

class NotFound extends Error {}

/** A body the connection layer could not parse as JSON. */
class NotJson {
  constructor(readonly text: string) {}
}


/** Compares dotted API versions ("1.41" vs "1.24"). */
export function compareApiVersions(a: string, b: string): number {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d) return d;
  }
  return 0;
}

/** A message for a failed request that a user can act on, without a stack trace. */
export function describeFailure(err: RequestFailure, endpoint: Endpoint, path: string, timedOut: boolean, timeoutMs: number): string {
  const where = `${endpoint.url} (engine chosen by ${endpoint.source})`;
  const code = typeof err.code === 'string' ? err.code : undefined;
  const socket = endpoint.kind === 'unix' || endpoint.kind === 'npipe' ? endpoint.socketPath : undefined;
  if (code === 'ESSH') return `cannot reach the Docker engine at ${where}: ${err.message}`;
  if (code === 'EBODYTOOLARGE') return `${where} answered GET ${path} with ${err.message}, more than any Docker Engine API answer portlint reads; is it a Docker Engine API endpoint?`;
  if (code === 'EREDIRECT') return `${where} answered GET ${path} with a ${err.message}: portlint does not follow redirects (they are no Docker Engine API); point --host at the engine itself`;
  if (timedOut || code === 'ABORT_ERR' || err.name === 'AbortError') {
    const s = timeoutMs / 1000;
    return `the Docker engine at ${where} did not answer GET ${path} within ${s} s; is it overloaded or hung? Raise the limit with --timeout <seconds> (now ${s})`;
  }
  if (typeof err.statusCode === 'number') {
    const body = err.json as { message?: unknown } | null | undefined;
    const detail = body && typeof body === 'object' && typeof body.message === 'string' ? `: ${body.message}` : '';
    if (err.statusCode === 404 && path === '/version') return `${where} answered GET /version with HTTP 404; it does not look like a Docker Engine API`;
    if (err.statusCode === 400 && /HTTP request to an HTTPS server/i.test(err.message)) {
      return `the Docker engine at ${where} expects TLS: use tcp:// with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH, or a docker context that holds its certificates`;
    }
    return `the Docker engine at ${where} answered GET ${path} with HTTP ${err.statusCode}${detail}`;
  }
  if (socket !== undefined) {
    if (code === 'ENOENT') return `cannot connect to the Docker engine: the socket ${socket} does not exist (engine chosen by ${endpoint.source}). Is Docker running?`;
    if (code === 'EACCES' || code === 'EPERM') {
      return (
        `permission denied on the Docker socket ${socket} (engine chosen by ${endpoint.source}): add your user to the docker group ` +
        `(sudo usermod -aG docker $USER, then log in again), run portlint with sudo, or point --host at a rootless engine's socket (unix://$XDG_RUNTIME_DIR/docker.sock)`
      );
    }
    if (code === 'ECONNREFUSED') return `cannot connect to the Docker engine: nothing listens on the socket ${socket} (engine chosen by ${endpoint.source}). Is Docker running?`;
    if (code === 'ENOTSOCK' || code === 'ENOTDIR') return `cannot connect to the Docker engine: ${socket} is not a socket (engine chosen by ${endpoint.source})`;
  }
  if (code === 'ECONNREFUSED') return `cannot connect to the Docker engine at ${where}: connection refused. Is Docker running and listening there?`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `cannot connect to the Docker engine at ${where}: the host name does not resolve`;
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'ETIMEDOUT') return `cannot connect to the Docker engine at ${where}: ${code === 'ETIMEDOUT' ? 'connection timed out' : 'host unreachable'}`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/i.test(err.message)) return `the Docker engine at ${where} closed the connection without answering GET ${path}; is it a Docker Engine API endpoint?`;
  if (code === 'HPE_INVALID_CONSTANT' || (code && code.startsWith('HPE_'))) return `${where} answered GET ${path} with something that is not HTTP; is it a Docker Engine API endpoint?`;
  const tls = describeTlsFailure(code, err.message, endpoint);
  if (tls) return `TLS with the Docker engine at ${where} failed: ${tls}`;
  return `cannot talk to the Docker engine at ${where}: ${err.message}${code ? ` (${code})` : ''}`;
}

/** TLS failures in words: whose certificate, what is wrong with it, and which file to look at. */
function describeTlsFailure(code: string | undefined, message: string, endpoint: Endpoint): string | undefined {
  const tls = endpoint.kind === 'tcp' ? endpoint.tls : undefined;
  const text = `${code ?? ''} ${message}`;
  const ca = tls?.ca ? ` (${tls.ca})` : '';
  if (/CERT_HAS_EXPIRED/.test(text)) return `the engine's certificate has expired; renew it on the engine (or the clock of this machine is wrong)`;
  if (/CERT_NOT_YET_VALID/.test(text)) return `the engine's certificate is not valid yet; check the clocks of both machines`;
  if (/SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|CERT_SIGNATURE_FAILURE|CERT_UNTRUSTED/.test(text)) {
    return `the engine's certificate is not signed by the CA portlint was given${ca} (${code}); check DOCKER_CERT_PATH, or the context's ca.pem`;
  }
  if (/ERR_TLS_CERT_ALTNAME_INVALID/.test(text)) return `the engine's certificate is not issued for ${endpoint.kind === 'tcp' ? endpoint.host : 'this host'}: ${message}`;
  const alert = /ALERT_([A-Z_]+)/.exec(text)?.[1];
  if (alert) {
    const cert = tls?.cert ? `portlint's client certificate (${tls.cert})` : 'the connection: portlint sent no client certificate (put cert.pem and key.pem beside ca.pem)';
    return `the engine refused ${cert} with the TLS alert "${alert.toLowerCase().replace(/_/g, ' ')}"`;
  }
  if (/WRONG_VERSION_NUMBER|wrong version number|packet length too long|unknown protocol/i.test(text)) return `the engine does not speak TLS on that port (plain tcp://, usually port 2375): drop DOCKER_TLS_VERIFY`;
  if (code && /CERT|TLS|SSL/i.test(code)) return `${message} (${code}); check DOCKER_CERT_PATH and DOCKER_TLS_VERIFY`;
  return undefined;
}
