/**
 * A real LSP client for the tests and the latency benchmark: `portlint lsp --stdio` started as a
 * process, driven through the protocol packages' client side (vscode-languageserver-protocol),
 * the way an editor's client drives it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeAction,
  type Diagnostic,
  type Hover,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type Range,
} from 'vscode-languageserver-protocol/node';

export interface Published {
  version?: number;
  diagnostics: Diagnostic[];
  /** When the notification arrived (performance.now()). */
  at: number;
}

export const uriOf = (file: string) => pathToFileURL(file).href;

export class LspClient {
  readonly child: ChildProcess;
  readonly connection: ProtocolConnection;
  readonly published = new Map<string, Published[]>();
  readonly stderr: string[] = [];
  /** Requests the server made of the client (registrations, refreshes), by method. */
  readonly serverRequests: string[] = [];
  private waiters: Array<() => void> = [];

  constructor(bin: string, opts: { cwd?: string; env?: Record<string, string | undefined> } = {}) {
    this.child = spawn(process.execPath, [bin, 'lsp', '--stdio'], { cwd: opts.cwd, env: { ...process.env, ...opts.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (d) => this.stderr.push(String(d)));
    this.connection = createProtocolConnection(new StreamMessageReader(this.child.stdout!), new StreamMessageWriter(this.child.stdin!));
    this.connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
      const list = this.published.get(p.uri) ?? [];
      list.push({ version: p.version, diagnostics: p.diagnostics, at: performance.now() });
      this.published.set(p.uri, list);
      for (const w of this.waiters.splice(0)) w();
    });
    this.connection.onNotification('window/logMessage', (p: { message: string }) => this.stderr.push(p.message));
    this.connection.onRequest((method: string) => {
      this.serverRequests.push(method);
      for (const w of this.waiters.splice(0)) w();
      return null;
    });
    this.connection.listen();
  }

  async initialize(rootDir: string, capabilities: ClientCapabilities = {}, initializationOptions: unknown = {}) {
    const result = await this.connection.sendRequest('initialize', { processId: process.pid, rootUri: uriOf(rootDir), capabilities, initializationOptions });
    await this.connection.sendNotification('initialized', {});
    return result as { capabilities: Record<string, unknown>; serverInfo: { name: string; version: string } };
  }

  open(file: string, text: string, languageId = 'dockercompose', version = 1): Promise<void> {
    return this.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: uriOf(file), languageId, version, text } });
  }

  /** One edit, as an editor sends a keystroke (a range and its new text); without a range, the whole text. */
  change(file: string, version: number, text: string, range?: Range): Promise<void> {
    return this.connection.sendNotification('textDocument/didChange', { textDocument: { uri: uriOf(file), version }, contentChanges: [range ? { range, text } : { text }] });
  }

  close(file: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didClose', { textDocument: { uri: uriOf(file) } });
  }

  save(file: string): Promise<void> {
    return this.connection.sendNotification('textDocument/didSave', { textDocument: { uri: uriOf(file) } });
  }

  watchedFilesChanged(changes: Array<{ file: string; type: 1 | 2 | 3 }>): Promise<void> {
    return this.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: changes.map((c) => ({ uri: uriOf(c.file), type: c.type })) });
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest('textDocument/hover', { textDocument: { uri: uriOf(file) }, position: { line, character } });
  }

  codeActions(file: string, range: Range, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return this.connection.sendRequest('textDocument/codeAction', { textDocument: { uri: uriOf(file) }, range, context: { diagnostics, ...(only && { only }) } });
  }

  pullDiagnostics(file: string): Promise<{ kind: string; items: Diagnostic[] }> {
    return this.connection.sendRequest('textDocument/diagnostic', { textDocument: { uri: uriOf(file) } });
  }

  /** The first diagnostics published for the file after `since` (a count of earlier ones) that satisfy `ok`. */
  async diagnostics(file: string, ok: (p: Published) => boolean = () => true, since = 0, timeoutMs = 15_000): Promise<Published> {
    const uri = uriOf(file);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (this.published.get(uri) ?? []).slice(since).find(ok);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no diagnostics for ${file} in ${timeoutMs} ms (got ${JSON.stringify(this.published.get(uri)?.map((p) => [p.version, p.diagnostics.map((d) => d.code)]))}); server said: ${this.stderr.join('')}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  count(file: string): number {
    return this.published.get(uriOf(file))?.length ?? 0;
  }

  async stop(): Promise<number | null> {
    const exited = new Promise<number | null>((resolve) => this.child.on('exit', (code) => resolve(code)));
    try {
      await this.connection.sendRequest('shutdown');
      await this.connection.sendNotification('exit');
    } catch {
      this.child.kill();
    }
    const code = await exited;
    this.connection.dispose();
    return code;
  }
}
