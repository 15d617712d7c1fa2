/**
 * `portlint audit`: the catalogue's rules over the containers (and swarm stacks) of one or more
 * Docker hosts, plus the live-only rules, then the fleet rules across them. The live modules are
 * required inside the action (see ../live.ts), so other commands never load them.
 */
import { InvalidArgumentError, type Command } from 'commander';
import { catalogue } from '../../../rules';
import { compareFindings, runRules, type Finding } from '../../engine/run';
import { foldByConcern } from '../../engine/voice';
import type { EngineRead } from '../../live/collect';
import { addEngineOptions, chooseEngines, liveSettings, readFleet, type EngineOptionValues } from '../live';
import { EXIT_FAILURE, UsageError, collect, warn, type SetExit } from '../shared';
import { loadProjects } from '../../load';
import type { LoadError, Project } from '../../model/types';
import type { LiveInput } from '../../live/types';
import { raiseInterruptBudget } from '../../util/interrupt-budget';
import type { EngineSummary, Report } from '../../report/format';
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
  stack: string[];
}

/**
 * `--stack NAME=FILE[,FILE...]` (repeatable): the stack files a deployed stack came from, loaded
 * as docker stack deploy reads them, so its services' findings point at their lines.
 */
export function loadStackFiles(specs: string[], cwd: string): { files: Map<string, Project>; errors: LoadError[] } {
  const byName = new Map<string, string[]>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw new UsageError(`--stack ${spec}: expected NAME=FILE (the stack name of docker stack deploy, then its -c file; several files separated by commas)`);
    const name = spec.slice(0, eq);
    byName.set(name, [...(byName.get(name) ?? []), ...spec.slice(eq + 1).split(',').filter(Boolean)]);
  }
  const files = new Map<string, Project>();
  const errors: LoadError[] = [];
  for (const [name, list] of byName) {
    const result = loadProjects({ cwd, env: process.env, paths: [], files: list, envFiles: [], profiles: [], projectName: name, swarm: true });
    errors.push(...result.errors);
    if (result.projects[0] && !result.errors.length) files.set(name, result.projects[0]);
  }
  return { files, errors };
}

export function registerAudit(program: Command, setExit: SetExit): void {
  addReportOptions(addEngineOptions(addRuleOptions(program.command('audit').description("audit the containers of Docker hosts: exposure, network modes, ranges, the engine's version, firewalls, drift from compose files, and facts across hosts")), true)
    .option('-a, --all', 'include containers that do not run (created, exited)', false)
    .option('--project <name>', 'only the containers of this compose project')
    .option('--filter <key=value>', 'an engine list filter, repeatable: label=key, label=key=value, name=..., status=... (as docker ps --filter)', collect, [])
    .option('--stack <name=file>', 'the stack file a deployed stack came from (docker stack deploy -c FILE NAME), repeatable: findings about its services point at its lines', collect, []))
    .action(async (o: AuditOptionValues, cmd: Command) => {
      raiseInterruptBudget(); // An audit loads dockerode and waits on engines: never a small run.
      const config = engineConfig(o);
      let filters: Record<string, string[]>;
      try {
        filters = listFilters(o.filter, o.project);
      } catch (e) {
        warn(`portlint: ${(e as Error).message}`);
        setExit(EXIT_FAILURE);
        return;
      }
      const stacks = loadStackFiles(o.stack, process.cwd());
      const chosen = chooseEngines(o, setExit);
      if (!chosen) return;
      const fleet = chosen.order.length > 1;
      const reads = await readFleet(chosen.targets, { timeoutMs: o.timeout * 1000, all: o.all, filters, inspect: true, compose: true, hostSockets: false, swarm: true, stackFiles: stacks.files });
      // Every engine asked for, in that order, read or not.
      const summaries = new Map<string, EngineSummary>([...reads.map((r): [string, EngineSummary] => [r.target.name, engineSummary(r)]), ...chosen.errors.map((e): [string, EngineSummary] => [e.name, { name: e.name, endpoint: '', error: e.message }])]);
      const engines = chosen.order.map((name) => summaries.get(name)!);
      const unread = engines.filter((e) => e.error !== undefined);
      for (const u of unread) warn(`portlint: ${fleet ? `engine ${u.name}: ` : ''}${u.error}`);
      if (!fleet && unread.length) {
        setExit(EXIT_FAILURE);
        return;
      }
      const read = reads.filter((r) => r.collected && r.sameAs === undefined).map((r) => r.collected!);
      const platformGiven = cmd.getOptionValueSource('platform') === 'cli';
      const findings: Finding[] = [];
      for (const collected of read) {
        const { live } = collected;
        const settings = liveSettings({ ...config.settings, cwd: process.cwd(), ...(!platformGiven && { platform: live.engine.os === 'windows' ? 'windows' : 'linux' }) }, collected);
        findings.push(...runRules(live.projects, catalogue, { ...config, settings, mode: 'audit', live }));
      }
      const lives = read.map((c) => c.live);
      findings.push(...runRules(lives.flatMap((l) => l.projects), catalogue, { ...config, mode: 'fleet', fleet: lives }));
      const order = new Map(chosen.order.map((name, i) => [name, i]));
      const rank = (f: Finding) => order.get(f.engine?.name ?? '') ?? 0;
      let shown = foldByConcern(findings, catalogue).sort((a, b) => rank(a) - rank(b) || compareFindings(a, b));
      if (o.quiet) shown = shown.filter((f) => f.severity === 'error');
      warnAboutStacks(stacks, lives);
      const report: Report = { findings: shown, errors: stacks.errors, files: stacks.files.size, cwd: process.cwd(), engines };
      const stylish = (r: Report, color: boolean) => {
        const { formatLiveStylish } = require('../../report/live') as typeof import('../../report/live');
        return formatLiveStylish(r, color, { fleet });
      };
      if (!emitReport(o, report, setExit, { stylish })) return;
      setExit(unread.length || stacks.errors.length ? EXIT_FAILURE : findingsExit(shown, o.maxWarnings));
    });
}

/**
 * What --stack gives that the run cannot use, on standard error: problems docker stack deploy
 * would refuse the file for (check --swarm reports them), and a stack no manager of the run has.
 * A file that does not load is in the report (and exit 2).
 */
function warnAboutStacks(stacks: { files: Map<string, Project> }, lives: readonly LiveInput[]): void {
  const deployed = new Set(lives.flatMap((l) => l.projects.filter((p) => p.stack && !p.stack.task).map((p) => p.stack!.name)));
  for (const [name, project] of stacks.files) {
    const n = project.problems.length;
    if (n) warn(`portlint: --stack ${name}: ${project.files.join(', ')} has ${n} problem${n === 1 ? '' : 's'} docker stack deploy would refuse; portlint check --swarm lists them`);
    if (!deployed.has(name)) warn(`portlint: --stack ${name}: no swarm manager of this run has a stack named ${name}`);
  }
}

/** What the report says of one engine: what it is and how much was read, or why it was not. */
function engineSummary(r: EngineRead): EngineSummary {
  const base = { name: r.target.name, endpoint: r.target.endpoint.url };
  if (!r.collected) return { ...base, error: r.error ?? 'not read' };
  const { engine, containers, swarm } = r.collected.live;
  return {
    ...base,
    host: engine.name,
    product: engine.podman ? 'Podman' : 'Docker Engine',
    version: engine.version,
    ...(engine.rootless && { rootless: true }),
    containers: containers.length,
    ...(swarm && { services: swarm.services.length }),
    ...(engine.swarm && { swarm: engine.swarm.manager ? ('manager' as const) : ('worker' as const) }),
    calls: r.collected.calls.length,
    ...(r.sameAs !== undefined && { sameAs: r.sameAs }),
    ...(r.swarmReportedBy !== undefined && { swarmReportedBy: r.swarmReportedBy }),
  };
}
