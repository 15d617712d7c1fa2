import type { LoadError, LoadResult } from '../model/types';
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
  return loadSelection(selectProjects(opts), opts.env, cache);
}

/** Loads projects already selected (e.g. the projects of a configuration file). */
export function loadSelection(selection: Selection, env: SelectOptions['env'], cache = new FileCache()): LoadOutcome {
  const errors: LoadError[] = [...selection.errors];
  const projects = [];
  for (const spec of selection.specs) {
    const { project, errors: projectErrors } = new ProjectLoader(cache).load(spec, env);
    for (const e of projectErrors) if (!errors.some((x) => x.file === e.file && x.message === e.message)) errors.push(e);
    projects.push(project);
  }
  return { projects, errors, fatal: selection.fatal, files: cache.size + errors.filter((e) => !e.line).length };
}
