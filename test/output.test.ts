/**
 * How the binary writes: straight to its descriptors (src/cli/shared.ts), which must behave as a
 * well-mannered command line does whatever standard output is: a pipe whose reader leaves early,
 * a full disk, a terminal, a non-blocking pipe another process set up.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, run, tempProject } from './helpers';

const SESSION = join(FIXTURES, 'session');
const ESC = '\u001b[';
const sh = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, NODE: process.execPath, BIN, ...env } });

describe('standard output', () => {
  it('a reader that leaves early: the rest is dropped, no error, and the exit code is still the findings’', () => {
    const expected = run(['check', SESSION]);
    expect(expected.status).toBe(1);
    // head -c 0 exits before portlint has started, so every write meets a closed pipe.
    const r = sh(`"$NODE" "$BIN" check ${JSON.stringify(SESSION)} | head -c 0; echo "exit \${PIPESTATUS[0]}"`);
    expect(r.stdout).toBe('exit 1\n');
    expect(r.stderr).toBe('');
  });

  it('a full device: a clear message and exit 2, not a stack trace', () => {
    const r = sh(`"$NODE" "$BIN" check ${JSON.stringify(SESSION)} > /dev/full`);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('portlint: cannot write to standard output: ENOSPC: no space left on device, write\n');
  });

  it('a terminal gets colour, NO_COLOR and pipes do not', () => {
    const onTerminal = (env: Record<string, string>) => sh(`script -qec '"$NODE" "$BIN" check ${SESSION}' /dev/null`, env).stdout;
    const coloured = onTerminal({ NO_COLOR: '' });
    expect(coloured).toContain(`${ESC}33mwarning${ESC}0m`);
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '').replace(/\r\n/g, '\n')).toBe(run(['check', SESSION]).stdout);
    expect(onTerminal({ NO_COLOR: '1' })).not.toContain(ESC);
    expect(run(['check', SESSION], { env: { NO_COLOR: undefined } }).stdout).not.toContain(ESC);
    // A character device that is no terminal (/dev/null) is not one either: nothing to see there,
    // but the check must not fail on it.
    expect(sh(`"$NODE" "$BIN" check ${SESSION} > /dev/null; echo $?`, { NO_COLOR: '' }).stdout).toBe('1\n');
  });

  it('a non-blocking pipe that fills up (EAGAIN) still receives all of several megabytes, in order', () => {
    const dir = tempProject({ 'compose.yaml': 'services:\n  all:\n    image: example/all:1\n    ports:\n      - "1-65535:1-65535"\n' });
    const args = ['ports', '--format', 'json', dir];
    const blocking = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(blocking.status).toBe(0);
    expect(blocking.stdout.length).toBeGreaterThan(4 << 20);
    // Python sets O_NONBLOCK on the pipe's write end, and reads only after a pause, so that the
    // first writes fill the pipe's 64 kB and the next one meets EAGAIN.
    const reader = [
      'import fcntl, os, subprocess, sys, time',
      'r, w = os.pipe()',
      'fcntl.fcntl(w, fcntl.F_SETFL, fcntl.fcntl(w, fcntl.F_GETFL) | os.O_NONBLOCK)',
      'p = subprocess.Popen(sys.argv[1:], stdout=w)',
      'os.close(w)',
      'time.sleep(0.5)',
      'data = b"".join(iter(lambda: os.read(r, 1 << 16), b""))',
      'sys.stdout.buffer.write(data)',
      'sys.exit(p.wait())',
    ].join('\n');
    const r = spawnSync('python3', ['-c', reader, process.execPath, BIN, ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout === blocking.stdout).toBe(true);
  }, 60_000);
});
