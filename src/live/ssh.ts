/**
 * ssh:// the docker CLI's way: for each connection, the system `ssh` client runs
 * `docker system dial-stdio` on the remote host, and HTTP goes over its standard input and
 * output (docker/cli cli/connhelper). So the user's ~/.ssh/config, keys, agent and known_hosts
 * apply exactly as for `docker -H ssh://...`. Two things differ, because portlint runs
 * unattended: ssh runs in batch mode (it never asks for a password, a passphrase or to accept
 * an unknown host key, it fails instead), and its connect timeout is portlint's --timeout.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { Duplex } from 'node:stream';
import type { Endpoint } from './endpoint';

type SshEndpoint = Extract<Endpoint, { kind: 'ssh' }>;

/** A word for the remote shell, which ssh hands the command to as one string: single-quoted unless it is plainly safe. */
function shellWord(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The ssh command line, as the docker CLI builds it (the remote command quoted for the remote shell), plus batch mode. */
export function sshArgs(e: SshEndpoint, timeoutMs: number): string[] {
  const args = ['-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`, '-o', 'BatchMode=yes', '-T'];
  if (e.username) args.push('-l', e.username);
  if (e.port !== undefined) args.push('-p', String(e.port));
  args.push('--', e.host, 'docker', ...(e.socketPath ? [shellWord(`--host=unix://${e.socketPath}`)] : []), 'system', 'dial-stdio');
  return args;
}

/** ssh could not carry the connection (`code` "ESSH"); the message says why, in the user's terms. */
export class SshError extends Error {
  readonly code = 'ESSH';
}

/** The most telling line ssh wrote: its last error line, not banners or warnings before it. */
function lastLine(stderr: string): string {
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  return [...lines].reverse().find((l) => !/^(@|Warning: Permanently added|debug\d?:)/.test(l)) ?? lines[lines.length - 1] ?? '';
}

/** One line a user can act on, from how ssh (or the remote docker CLI) failed. */
export function describeSshFailure(e: SshEndpoint, exitCode: number | null, stderr: string): string {
  const who = `${e.username ? `${e.username}@` : ''}${e.host}${e.port !== undefined ? ` port ${e.port}` : ''}`;
  const said = lastLine(stderr);
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED/.test(stderr)) {
    return `ssh refused ${who}: its host key does not match the one in known_hosts (ssh: "${said}"); if the host was rebuilt, check its new key and remove the old one with ssh-keygen -R ${e.host}`;
  }
  if (/Host key verification failed|No .* host key is known|host key for .* is unknown/i.test(stderr)) {
    return `ssh refused ${who}: its host key is not in known_hosts, and portlint runs ssh in batch mode, which never accepts a new key (ssh: "${said}"); connect once with ssh ${e.host} to check and accept it`;
  }
  if (/Permission denied/i.test(stderr)) {
    return `ssh to ${who} was refused: permission denied (ssh: "${said}"); portlint runs ssh in batch mode (no password or passphrase prompts): load the key into ssh-agent or name it with IdentityFile in ~/.ssh/config`;
  }
  if (/Connection refused/i.test(stderr)) return `cannot connect to ${who} over ssh: connection refused; is sshd running there?`;
  if (/Could not resolve hostname|Name or service not known|nodename nor servname/i.test(stderr)) return `cannot connect over ssh: the host name ${e.host} does not resolve`;
  if (/timed out/i.test(stderr)) return `cannot connect to ${who} over ssh: connection timed out`;
  if (/No route to host|Network is unreachable/i.test(stderr)) return `cannot connect to ${who} over ssh: host unreachable`;
  if (exitCode === 127 || /docker: (command )?not found|docker: No such file/i.test(stderr)) {
    return `${who} has no docker command on its PATH: the ssh transport runs "docker system dial-stdio" there (as the docker CLI does), which needs the docker CLI 18.09 or later on that host`;
  }
  if (/Cannot connect to the Docker daemon|error during connect|dial unix/i.test(stderr)) {
    return `the docker CLI on ${who} cannot reach its engine (ssh: "${said}"); is Docker running there?`;
  }
  return `ssh to ${who} failed${exitCode !== null ? ` (exit ${exitCode})` : ''}${said ? `: ${said}` : ''}`;
}

/**
 * A connection over one ssh process: what the HTTP client writes goes to its stdin, its stdout
 * is what the client reads. When ssh exits with an error, the connection fails with that error
 * (not with a bare "socket hang up"), so the user learns why.
 */
class CommandConnection extends Duplex {
  private stderr = '';
  constructor(
    private readonly child: ChildProcess,
    endpoint: SshEndpoint,
  ) {
    super();
    const out = child.stdout!;
    out.on('data', (d: Buffer) => {
      if (!this.push(d)) out.pause();
    });
    child.stderr!.on('data', (d: Buffer) => {
      // Enough to explain a failure; a chatty remote must not grow this without bound.
      if (this.stderr.length < 16_384) this.stderr += d.toString('utf8');
    });
    child.stdin!.on('error', () => undefined); // ssh gone: its exit explains it
    child.on('error', (err: NodeJS.ErrnoException) => {
      const message = err.code === 'ENOENT' ? 'no ssh command on PATH: ssh:// engines are reached through the system ssh client, as the docker CLI does; install OpenSSH' : `cannot start ssh: ${err.message}`;
      this.destroy(new SshError(message));
    });
    child.on('close', (code, signal) => {
      if (code === 0 || (signal && this.destroyed)) this.push(null);
      else this.destroy(new SshError(describeSshFailure(endpoint, code, this.stderr)));
    });
  }

  override _read(): void {
    this.child.stdout?.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    // A write to an ssh that already exited fails with EPIPE; its exit status and stderr (the
    // close handler) say why, so the write itself must not fail the connection first.
    this.child.stdin!.write(chunk, () => callback());
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin!.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
    callback(error);
  }

  // What the HTTP client calls on a socket; a pipe has no such settings.
  setKeepAlive(): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
}

/** An HTTP agent whose connections are ssh processes (kept alive between requests, like sockets). */
export class SshAgent extends Agent {
  constructor(
    private readonly endpoint: SshEndpoint,
    private readonly timeoutMs: number,
    maxSockets: number,
  ) {
    super({ keepAlive: true, maxSockets });
  }

  override createConnection(): Duplex {
    const child = spawn('ssh', sshArgs(this.endpoint, this.timeoutMs), { stdio: ['pipe', 'pipe', 'pipe'] });
    return new CommandConnection(child, this.endpoint);
  }
}
