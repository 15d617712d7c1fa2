import type { LoadError, LoadResult } from '../model/types';
import { FileCache, ProjectLoader } from './project';
import { selectProjects, type SelectOptions } from './select';

export type { SelectOptions } from './select';

export interface LoadOutcome extends LoadResult {
  /** Set when there was nothing to load at all (usage error). */
  fatal?: string;
  /** Distinct files read. */
  files: number;
}

/** Selects the projects and loads each; a broken file is an error of its own, the rest still loads. */
export function loadProjects(opts: SelectOptions, cache = new FileCache()): LoadOutcome {
  const selection = selectProjects(opts);
  const errors: LoadError[] = [...selection.errors];
  const projects = [];
  for (const spec of selection.specs) {
    const { project, errors: projectErrors } = new ProjectLoader(cache).load(spec, opts.env);
    for (const e of projectErrors) if (!errors.some((x) => x.file === e.file && x.message === e.message)) errors.push(e);
    projects.push(project);
  }
  return { projects, errors, fatal: selection.fatal, files: cache.size + errors.filter((e) => !e.line).length };
}
