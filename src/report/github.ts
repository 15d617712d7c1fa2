/**
 * GitHub Actions workflow commands: one `::error`, `::warning` or `::notice` line per finding,
 * per file that could not be loaded and per engine that could not be read, so a workflow step
 * annotates the pull request.
 */
import { unreadEngines, type Report } from './format';
import { ciMessage, displaySpan, engineErrorText, hasFile, repoPath, type CiContext } from './ci';

/** Escaping of a command's message (what follows the second `::`). */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** Escaping of a property value (`file=`, `title=`): also `:` and `,`, which delimit properties. */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

type Command = 'error' | 'warning' | 'notice';

function command(name: Command, props: Array<[string, string | number | undefined]>, message: string): string {
  const given = props.filter(([, v]) => v !== undefined && v !== '').map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${name}${given.length ? ` ${given.join(',')}` : ''}::${escapeData(message)}`;
}

export function formatGithub(r: Report, ctx: CiContext): string {
  const out: string[] = [];
  for (const e of r.errors) {
    const props: Array<[string, string | number | undefined]> = [['file', repoPath(e.file, ctx.root)]];
    if (e.line > 0) props.push(['line', e.line], ['col', Math.max(1, e.column || 1)]);
    props.push(['title', 'portlint: file not loaded']);
    out.push(command('error', props, e.message));
  }
  for (const f of r.findings) {
    const name: Command = f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'notice';
    if (!hasFile(f)) {
      out.push(command(name, [['title', f.ruleId]], ciMessage(f)));
      continue;
    }
    const span = displaySpan(f.loc);
    // Annotations take columns only on a single line; endColumn is inclusive there.
    const single = span.endLine === span.line;
    out.push(
      command(
        name,
        [
          ['file', repoPath(f.loc.file, ctx.root)],
          ['line', span.line],
          ['col', single ? span.column : undefined],
          ['endLine', span.endLine],
          ['endColumn', single && span.endColumn !== undefined ? span.endColumn - 1 : undefined],
          ['title', f.ruleId],
        ],
        ciMessage(f),
      ),
    );
  }
  for (const e of unreadEngines(r)) out.push(command('error', [['title', 'portlint: engine not read']], engineErrorText(e)));
  return out.length ? out.join('\n') + '\n' : '';
}
