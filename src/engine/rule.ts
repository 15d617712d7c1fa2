/**
 * What a rule is: metadata plus a pure check over the loaded projects.
 * Rules never read files; they see the shared model only.
 */
import type { Binding, Project, SourceLocation } from '../model/types';
import type { LiveInput } from '../live/types';
import type { FindingFix } from '../fix/edits';
import type { ComposeRelease } from '../model/compose-releases';

export type Severity = 'off' | 'info' | 'warning' | 'error';
export type Platform = 'linux' | 'macos' | 'windows' | 'all';

/** How messages name a platform. */
export const PLATFORM_NAMES: Record<Exclude<Platform, 'all'>, string> = { linux: 'Linux', macos: 'macOS', windows: 'Windows' };

/**
 * Where a rule runs: `check` over compose files (with `check --live`, `RuleInput.live` is set
 * too), `audit` over the containers of one Docker host (`projects` are then live projects, one per
 * container, and `RuleInput.live` is set), `fleet` once over every engine an audit read
 * (`projects` are all their live projects, `RuleInput.fleet` is set): facts across hosts.
 */
export type RuleMode = 'check' | 'audit' | 'fleet';

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
  /** Where the rule applies; absent means both (the static rules read live bindings unchanged). */
  modes?: readonly RuleMode[];
  /**
   * What the rule judges: projects Compose (or `docker run`) deploys, stacks Swarm deploys
   * (`Project.stack`), or both when absent. Compose's host IPs and collisions mean nothing to
   * Swarm, which publishes on every node; ranges and syntax hold for both.
   */
  deployments?: readonly Deployment[];
  /**
   * What the rule's findings are about, when other rules speak to it too: `exposure` (who can
   * reach the port), `host port` (whether the host port number can be published). On one port
   * entry, one finding per concern is shown, the others fold into it (`src/engine/voice.ts`).
   */
  concern?: 'exposure' | 'host port';
}

export type Deployment = 'compose' | 'swarm';

/** How a project is deployed. */
export function deploymentOf(project: { stack?: unknown }): Deployment {
  return project.stack ? 'swarm' : 'compose';
}

/** Run-wide settings a rule may depend on (CLI flags now, config file later). */
export interface Settings {
  platform: Platform;
  /** Rootless Docker or Podman: unprivileged ports start at 1024. */
  rootless: boolean;
  /** The host's ephemeral range (net.ipv4.ip_local_port_range), when a live host was read. */
  ephemeralRange?: { start: number; end: number };
  /** The host's net.ipv4.ip_unprivileged_port_start, when a live host was read. */
  unprivilegedPortStart?: number;
  /** The oldest docker compose release the files must work with (`compose`, `--compose`), when given. */
  compose?: ComposeRelease;
  /**
   * The run's working directory: a file a message names is shown relative to it, as the report
   * shows the finding's own file. Without one (a rule run on its own), relative to the project.
   */
  cwd?: string;
}

export interface RuleInput<O> {
  projects: Project[];
  options: O;
  settings: Settings;
  /** The Docker host, in `audit` and in `check --live`; absent otherwise. */
  live?: LiveInput;
  /** Every engine the audit read, in the order asked for (`fleet` mode only). */
  fleet?: readonly LiveInput[];
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
  /** This finding's own default (an error for a privileged port under rootless Docker, info for a port that publishes with a caveat); a severity the user set still wins. */
  severity?: Exclude<Severity, 'off'>;
  /** Autofix: text edits in the finding's file, or why it cannot be fixed automatically (`--fix`). */
  fix?: FindingFix;
}

/** The modes a rule runs in (a rule without `modes` reads files and single hosts alike). */
export function ruleModes(rule: { meta: RuleMeta }): readonly RuleMode[] {
  return rule.meta.modes ?? ['check', 'audit'];
}

export interface Rule<O = Record<string, unknown>> {
  meta: RuleMeta;
  check(input: RuleInput<O>): RuleFinding[];
}

/** A rule without options still publishes a schema, so configuration can be validated uniformly. */
const NO_OPTIONS_SCHEMA = { type: 'object', properties: {}, additionalProperties: false };

export function defineRule<O>(rule: Rule<O>): Rule<O> {
  const { optionsSchema = NO_OPTIONS_SCHEMA, defaultOptions = {} } = rule.meta;
  return { ...rule, meta: { ...rule.meta, optionsSchema, defaultOptions } };
}
