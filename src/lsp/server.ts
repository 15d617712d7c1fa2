/**
 * `portlint lsp`: the Language Server Protocol over standard input and output. The protocol is
 * the maintained vscode-languageserver packages' (loaded only here: a check never loads them);
 * what is said is the workspace's (workspace.ts), the same loader and rules as `check`.
 *
 * Diagnostics are pushed, or pulled when the client asks for them that way; a change is linted
 * after a short pause that lets a burst of keystrokes arrive first (`debounceMs` in the
 * initialization options, default 10), the changed document first, then the open documents
 * that depend on it (an override file, the project's other files).
 */
import { fileURLToPath } from 'node:url';
import { basename } from 'node:path';
import type * as Lsp from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isComposeFileName } from '../load/select';
import { version } from '../version';
import { disableForEntry, fixAll, FIX_ALL_KIND, quickFix } from './actions';
import { diagnosticsFor, findingOf, TextIndex } from './diagnostics';
import { hoverAt } from './hover';
import { LintWorkspace, type DocumentLint } from './workspace';

const COMPOSE_LANGUAGES = new Set(['dockercompose', 'yaml.docker-compose', 'docker-compose']);
const WATCHED = '**/{.env,*.env,compose*.y*ml,docker-compose*.y*ml,.portlintrc.yaml,.portlintrc.yml,.portlintrc.json,portlint.config.json}';

export function startServer(input: NodeJS.ReadableStream = process.stdin, output: NodeJS.WritableStream = process.stdout): void {
  const lsp = require('vscode-languageserver/node') as typeof Lsp;
  const { TextDocument: Documents } = require('vscode-languageserver-textdocument') as typeof import('vscode-languageserver-textdocument');
  const connection = lsp.createConnection(new lsp.StreamMessageReader(input), new lsp.StreamMessageWriter(output));
  const documents = new lsp.TextDocuments(Documents);
  const env = process.env;
  const workspace = new LintWorkspace(env);
  let pull = false;
  let refreshPull = false;
  let debounceMs = 10;
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  /** A handler that never takes the server down: what goes wrong is logged, the answer is empty. */
  const guarded =
    <A extends unknown[], R>(name: string, fallback: R, run: (...args: A) => R) =>
    (...args: A): R => {
      try {
        return run(...args);
      } catch (e) {
        connection.console.error(`portlint: ${name} failed: ${(e as Error).stack ?? e}`);
        return fallback;
      }
    };

  const fileOf = (uri: string): string | undefined => (uri.startsWith('file:') ? fileURLToPath(uri) : undefined);
  const isCompose = (doc: TextDocument, file: string) =>
    COMPOSE_LANGUAGES.has(doc.languageId) || isComposeFileName(basename(file)) || (doc.languageId === 'yaml' && /^services\s*:/m.test(doc.getText()));
  const uriOf = new Map<string, string>();

  /** The lint of an open document as it is now: the last one when nothing changed since. */
  const current = (file: string): DocumentLint | undefined => {
    if (!workspace.isOpen(file)) return undefined;
    const doc = documents.get(uriOf.get(file)!);
    const last = workspace.lastLint(file);
    if (last && doc && last.version === doc.version && !pending.has(file)) return last;
    pending.delete(file);
    return workspace.lint(file);
  };

  const flush = guarded('linting', undefined, () => {
    timer = undefined;
    const files = [...pending];
    for (const file of files) {
      if (!pending.has(file)) continue;
      const uri = uriOf.get(file);
      if (!uri || !workspace.isOpen(file)) {
        pending.delete(file);
        continue;
      }
      if (pull) continue;
      const lint = current(file)!;
      void connection.sendDiagnostics({ uri, version: lint.version, diagnostics: diagnosticsFor(lint, file) });
    }
    if (pull && refreshPull && files.length) void connection.languages.diagnostics.refresh();
  });

  /** Lints these files soon; the first is the one that changed, the rest follow it. */
  const schedule = (files: string[]) => {
    for (const f of files) if (workspace.isOpen(f)) pending.add(f);
    if (!pending.size) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };

  connection.onInitialize((params) => {
    const caps = params.capabilities;
    pull = !!caps.textDocument?.diagnostic;
    refreshPull = !!caps.workspace?.diagnostics?.refreshSupport;
    const options = (params.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
    watchDynamically = !!caps.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    return {
      serverInfo: { name: 'portlint', version },
      capabilities: {
        textDocumentSync: { openClose: true, change: lsp.TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        codeActionProvider: { codeActionKinds: [lsp.CodeActionKind.QuickFix, FIX_ALL_KIND] },
        ...(pull && { diagnosticProvider: { identifier: 'portlint', interFileDependencies: true, workspaceDiagnostics: false } }),
      },
    };
  });
  let watchDynamically = false;
  connection.onInitialized(() => {
    if (watchDynamically) void connection.client.register(lsp.DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: WATCHED }] });
  });

  documents.onDidChangeContent(
    guarded('a change', undefined, ({ document }) => {
      const file = fileOf(document.uri);
      if (!file || !isCompose(document, file)) return;
      uriOf.set(file, document.uri);
      workspace.setDocument(file, document.getText(), document.version);
      schedule([file, ...workspace.affectedBy([file]).filter((f) => f !== file)]);
    }),
  );
  documents.onDidClose(
    guarded('closing', undefined, ({ document }) => {
      const file = fileOf(document.uri);
      if (!file || !workspace.isOpen(file)) return;
      workspace.closeDocument(file);
      pending.delete(file);
      uriOf.delete(file);
      if (!pull) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
      // The file on disk stands for it again in the projects of the other documents.
      schedule(workspace.affectedBy([file]));
    }),
  );
  // A saved file that is not linted itself (.env, the configuration) changes the documents that read it.
  documents.onDidSave(
    guarded('a save', undefined, ({ document }) => {
      const file = fileOf(document.uri);
      if (file) schedule(workspace.affectedBy([file]).filter((f) => f !== file));
    }),
  );
  connection.onDidChangeWatchedFiles(
    guarded('watched files', undefined, ({ changes }) => {
      const files = changes.map((c) => fileOf(c.uri)).filter((f): f is string => !!f);
      // An open document's own file changing on disk changes nothing: its text is the editor's.
      schedule(workspace.affectedBy(files).filter((f) => !files.includes(f)));
    }),
  );

  connection.languages.diagnostics.on(
    guarded('diagnostics', { kind: 'full' as const, items: [] as Lsp.Diagnostic[] }, (params) => {
      const file = fileOf(params.textDocument.uri);
      const lint = file ? current(file) : undefined;
      return { kind: 'full' as const, items: lint && file ? diagnosticsFor(lint, file) : [] };
    }),
  );

  connection.onHover(
    guarded('hover', null, (params) => {
      const file = fileOf(params.textDocument.uri);
      const lint = file ? current(file) : undefined;
      if (!lint) return null;
      return hoverAt(lint, new TextIndex(lint.text).offsetAt(params.position), env) ?? null;
    }),
  );

  connection.onCodeAction(
    guarded('code actions', [] as Lsp.CodeAction[], (params) => {
      const file = fileOf(params.textDocument.uri);
      const lint = file ? current(file) : undefined;
      if (!lint) return [];
      // `only` names kinds or their parents ("source" asks for source.fixAll.portlint too).
      const only = params.context.only;
      const wants = (kind: string) => !only?.length || only.some((k) => kind === k || kind.startsWith(`${k}.`));
      if (!wants('quickfix')) return [wants(FIX_ALL_KIND) && fixAll(workspace, lint, FIX_ALL_KIND)].filter((a): a is Lsp.CodeAction => !!a);
      const actions: Lsp.CodeAction[] = [];
      for (const d of params.context.diagnostics) {
        const finding = findingOf(lint, d);
        if (!finding) continue;
        const fix = quickFix(lint, finding);
        if (fix) actions.push({ ...fix, diagnostics: [d] });
        const disable = disableForEntry(lint, finding);
        if (disable) actions.push({ ...disable, diagnostics: [d] });
      }
      if (actions.some((a) => a.isPreferred)) {
        const all = fixAll(workspace, lint, 'quickfix');
        if (all) actions.push(all);
      }
      return actions;
    }),
  );

  documents.listen(connection);
  connection.listen();
}
