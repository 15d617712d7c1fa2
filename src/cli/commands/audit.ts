/**
 * `portlint audit`: the catalogue's rules over the containers of a Docker host, plus the
 * live-only rules. The live modules (and through them dockerode) are required inside the
 * action (see ../live.ts), so other commands never load them.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { catalogue } from '../../../rules';
import { runRules } from '../../engine/run';
import { addEngineOptions, chooseEndpoint, liveSettings, readLive, type EngineOptionValues } from '../live';
import { EXIT_FAILURE, collect, warn, type SetExit } from '../shared';
import type { Report } from '../../report/format';
import { addReportOptions, addRuleOptions, emitReport, engineConfig, findingsExit, type CheckOptionValues } from './check';

/** --filter values ("label=a=b", "name=web") and --project as Engine list filters. */
export function listFilters(filter: string[], project: string | undefined): Record<string, string[]> {
  const filters: Record<string, string[]> = {};
  const add = (k: string, v: string) => (filters[k] ??= []).push(v);
  for (const f of filter) {
    const eq = f.indexOf('=');
    if (eq <= 0 || eq === f.length - 1) throw new InvalidArgumentError(`--filter ${f}: expected key=value, such as label=com.example.team=web`);
    add(f.slice(0, eq).trim(), f.slice(eq + 1));
  }
  if (project) add('label', `com.docker.compose.project=${project}`);
  return filters;
}

interface AuditOptionValues extends EngineOptionValues, CheckOptionValues {
  all: boolean;
  project?: string;
  filter: string[];
}

export function registerAudit(program: Command, setExit: SetExit): void {
  addReportOptions(addEngineOptions(addRuleOptions(program.command('audit').description("audit the containers of a Docker host: exposure, network modes, ranges, the engine's version, firewalls and drift from compose files")))
    .option('-a, --all', 'include containers that do not run (created, exited)', false)
    .option('--project <name>', 'only the containers of this compose project')
    .option('--filter <key=value>', 'an engine list filter, repeatable: label=key, label=key=value, name=..., status=... (as docker ps --filter)', collect, []))
    .action(async (o: AuditOptionValues, cmd: Command) => {
      const config = engineConfig(o);
      let filters: Record<string, string[]>;
      try {
        filters = listFilters(o.filter, o.project);
      } catch (e) {
        warn(`portlint: ${(e as Error).message}`);
        setExit(EXIT_FAILURE);
        return;
      }
      const endpoint = chooseEndpoint(o, setExit);
      if (!endpoint) return;
      const collected = await readLive(
        { endpoint, timeoutMs: o.timeout * 1000, all: o.all, filters, inspect: true, compose: true, hostSockets: false },
        setExit,
      );
      if (!collected) return;
      const { live } = collected;
      const platformGiven = cmd.getOptionValueSource('platform') === 'cli';
      const settings = liveSettings({ ...config.settings, ...(!platformGiven && { platform: live.engine.os === 'windows' ? 'windows' : 'linux' }) }, collected);
      let findings = runRules(live.projects, catalogue, { ...config, settings, mode: 'audit', live });
      if (o.quiet) findings = findings.filter((f) => f.severity === 'error');
      const cwd = process.cwd();
      const report: Report = { findings, errors: [], files: 0, cwd };
      const engine = `${live.engine.podman ? 'Podman' : 'Docker Engine'} ${live.engine.version}${live.engine.rootless ? ' (rootless)' : ''} at ${live.engine.endpoint}`;
      const stylish = (r: typeof report, color: boolean) => {
        const { formatLiveStylish } = require('../../report/live') as typeof import('../../report/live');
        return formatLiveStylish(r, color, { engine, containers: live.containers.length });
      };
      if (!emitReport(o, report, setExit, { stylish })) return;
      setExit(findingsExit(findings, o.maxWarnings));
    });
}
