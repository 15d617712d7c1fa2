/**
 * `portlint map`: one map of every host address and port, from compose files, from live
 * engines (--live, with audit's engine and fleet options), or both (--live with paths or -f).
 * The map is drawn, not judged: the exit code says whether everything could be read.
 */
import { Option, type Command } from 'commander';
import { catalogue } from '../../../rules';
import { runRules } from '../../engine/run';
import { errorLines } from '../../report/ports';
import { buildPortMap, type MapSource } from '../../map/build';
import { addConfigOptions, addSameHostOption, lintPrepared, prepareCheck, type ConfigOptionValues } from '../config-run';
import { addEngineOptions, chooseEngines, liveSettings, readFleet, type EngineOptionValues } from '../live';
import { addProjectOptions, EXIT_CLEAN, EXIT_FAILURE, selectOptions, stdoutIsTerminal, warn, type ProjectOptionValues, type SetExit } from '../shared';
import { emitText, engineConfig } from './check';

interface MapOptionValues extends ProjectOptionValues, ConfigOptionValues, EngineOptionValues {
  format: 'text' | 'json' | 'html';
  output?: string;
  live: boolean;
}

export function registerMap(program: Command, setExit: SetExit): void {
  addEngineOptions(addSameHostOption(addConfigOptions(addProjectOptions(program.command('map').description('draw every host address and port: who holds it, from which file, what is public, what collides')))), true)
    .addOption(new Option('--format <format>', 'text (the terminal), json (the map data) or html (a self-contained page; with -o)').choices(['text', 'json', 'html']).default('text'))
    .option('-o, --output <file>', 'write the map to this file (atomically) instead of standard output')
    .option('--live', "map the running containers of Docker hosts (the current engine, or audit's --host/--context/--all-contexts); with paths or -f also the compose files", false)
    .action(async (paths: string[], o: MapOptionValues) => {
      const cwd = process.cwd();
      const sources: MapSource[] = [];
      let failed = false;
      if (!o.live || paths.length || o.file.length) {
        const prepared = prepareCheck(selectOptions(paths, o), { config: o.config, sameHost: o.sameHost }, engineConfig({ rule: [], platform: 'all', rootless: false }), false);
        const { result } = prepared;
        if (result.fatal) {
          warn(`portlint: ${result.fatal}`);
          setExit(EXIT_FAILURE);
          return;
        }
        const errors = errorLines(result.errors, cwd);
        if (errors) warn(errors);
        failed = result.errors.length > 0;
        sources.push({ name: 'compose files', kind: 'files', projects: result.projects, findings: lintPrepared(prepared, false) });
      }
      if (o.live) {
        const chosen = chooseEngines(o, setExit);
        if (!chosen) return;
        for (const e of chosen.errors) warn(`portlint: engine ${e.name}: ${e.message}`);
        failed ||= chosen.errors.length > 0;
        const reads = await readFleet(chosen.targets, { timeoutMs: o.timeout * 1000, all: false, filters: {}, inspect: true, compose: false, hostSockets: false });
        const config = engineConfig({ rule: [], platform: 'linux', rootless: false });
        for (const r of reads) {
          if (r.sameAs !== undefined) continue;
          if (!r.collected) {
            warn(`portlint: engine ${r.target.name}: ${r.error}`);
            failed = true;
            continue;
          }
          const { live } = r.collected;
          const findings = runRules(live.projects, catalogue, { ...config, settings: liveSettings(config.settings, r.collected), mode: 'audit', live });
          sources.push({ name: r.target.name, kind: 'engine', projects: live.projects, findings });
        }
      }
      const map = buildPortMap(sources, cwd);
      let text: string;
      if (o.format === 'json') text = JSON.stringify(map, null, 2) + '\n';
      else if (o.format === 'html') text = (require('../../map/html') as typeof import('../../map/html')).formatMapHtml(map);
      else text = (require('../../map/text') as typeof import('../../map/text')).formatMapText(map, !o.output && stdoutIsTerminal() && !process.env.NO_COLOR);
      if (emitText(o.output, text, setExit, 'map')) setExit(failed ? EXIT_FAILURE : EXIT_CLEAN);
    });
}
