/**
 * What a rule is: metadata plus a pure check over the loaded projects.
 * Rules never read files; they see the shared model only.
 */
import type { Binding, Project, SourceLocation } from '../model/types';

export type Severity = 'off' | 'info' | 'warning' | 'error';
export type Platform = 'linux' | 'macos' | 'windows' | 'all';

export interface RuleMeta {
  /** `<category>/<name>`, a public contract. */
  id: string;
  /** One line, shown by `portlint rules`. */
  description: string;
  defaultSeverity: Severity;
  /** JSON schema (draft-07) of the options object, `{}`-able. */
  optionsSchema?: Record<string, unknown>;
  defaultOptions?: Record<string, unknown>;
  fixable: boolean;
  /** Repository-relative path of the rule's documentation page. */
  docs: string;
}

/** Run-wide settings a rule may depend on (CLI flags now, config file later). */
export interface Settings {
  platform: Platform;
  /** Rootless Docker or Podman: unprivileged ports start at 1024. */
  rootless: boolean;
}

export interface RuleInput<O> {
  projects: Project[];
  options: O;
  settings: Settings;
}

/** Another place a finding refers to, e.g. the earlier binding of a collision. */
export interface RelatedLocation {
  loc: SourceLocation;
  message: string;
}

/** What a rule returns: where, what, and about which binding. The engine adds rule id and severity. */
export interface RuleFinding {
  project: Project;
  service?: string;
  loc: SourceLocation;
  message: string;
  binding?: Binding;
  related?: RelatedLocation[];
  /** A stronger default for this finding (e.g. a privileged port under rootless Docker); a severity the user set still wins. */
  severity?: Exclude<Severity, 'off'>;
}

export interface Rule<O = Record<string, unknown>> {
  meta: RuleMeta;
  check(input: RuleInput<O>): RuleFinding[];
}

export function defineRule<O>(rule: Rule<O>): Rule<O> {
  return rule;
}
