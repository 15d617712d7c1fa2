import type { LoadError, LoadResult, Notice, Project } from '../model/types';
import { FileCache, ProjectLoader } from './project';
import { selectProjects, type Selection, type SelectOptions } from './select';

export type { Selection, SelectOptions } from './select';

export interface LoadOutcome extends LoadResult {
  /** Set when there was nothing to load at all (usage error). */
  fatal?: string;
  /** Distinct files read. */
  files: number;
}

/** Selects the projects and loads each; a broken file is an error of its own, the rest still loads. */
export function loadProjects(opts: SelectOptions, cache = new FileCache()): LoadOutcome {
  return loadSelection(selectProjects(opts), opts.env, cache, opts.cwd);
}

/** Loads projects already selected (e.g. the projects of a configuration file). */
/** `pathBase`: where messages name files from (the run's working directory); absolute paths without it. */
export function loadSelection(selection: Selection, env: SelectOptions['env'], cache = new FileCache(), pathBase?: string): LoadOutcome {
  const errors: LoadError[] = [...selection.errors];
  const notices: Notice[] = [...(selection.notices ?? [])];
  const projects = [];
  for (const spec of selection.specs) {
    const { project, errors: projectErrors } = new ProjectLoader(cache, pathBase).load(spec, env);
    for (const e of projectErrors) if (!errors.some((x) => x.file === e.file && x.message === e.message)) errors.push(e);
    projects.push(project);
    const idle = idleProjectNotice(project);
    if (idle) notices.push(idle);
  }
  return { projects, errors, ...(notices.length && { notices }), fatal: selection.fatal, files: cache.size + errors.filter((e) => !e.line).length };
}

/** A project whose every service sits in a profile that is not active: `docker compose up` starts nothing. */
function idleProjectNotice(p: Project): Notice | undefined {
  if (!p.services.length || p.services.some((s) => s.enabled) || p.stack) return undefined;
  const profiles = [...new Set(p.services.flatMap((s) => s.profiles))].sort();
  const active = p.activeProfiles.length ? `the active ones (${p.activeProfiles.join(', ')}) are none of them` : 'none is active';
  return {
    kind: 'no-active-service',
    file: p.files[0] ?? p.workingDir,
    message: `project ${p.name}: every service is in a profile (${profiles.join(', ')}) and ${active}, so docker compose up starts nothing and no port was checked; check them with --profile '*' or --profile ${profiles[0]}`,
  };
}
