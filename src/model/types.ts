/**
 * The one model every part of portlint shares: where a value came from, the
 * port items of a service, and the bindings Docker Engine will receive for them.
 */
import type { RawBinding } from './port-grammar';

/**
 * A position in a source file. Lines and columns are 1-based, like editors show them.
 * A live binding of a container that no compose file describes has no place in a file:
 * `file` is "", line and column are 0, and `offset` is a number unique to its port item
 * (so item identity by file and offset still holds).
 */
export interface SourceLocation {
  /** Absolute path of the file ("" for a live binding with no file, see above). */
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** Character offsets [start, end) in the file text, for autofix. */
  offset: number;
  endOffset: number;
}

export type Protocol = 'tcp' | 'udp' | 'sctp';

/** One socket the Engine opens on the host for a binding. */
export interface Listener {
  /** A concrete address: "0.0.0.0", "::", "127.0.0.1", "::1", ... */
  address: string;
  family: 4 | 6;
  /**
   * Host ports: every port of the interval is held (one port, or a run of a range mapping), or,
   * with `picksOne`, the Engine binds one free port of it. Absent for an engine-chosen (ephemeral) port.
   */
  ports?: { start: number; end: number };
  /** The Engine picks one port of `ports` when the container starts ("8000-8010:80"). */
  picksOne?: true;
  protocol: string;
}

/**
 * How a port item was written, so rules can judge the spelling without re-parsing the file.
 */
export interface PortItem {
  service: string;
  /** Where the item stands (the scalar, or the long-syntax mapping). */
  loc: SourceLocation;
  syntax: 'short' | 'long';
  /** The short-syntax spec after interpolation (e.g. "127.0.0.1:8080:80/tcp"); for long syntax a compact rendering. */
  spec: string;
  /** The item's text as written in the file (before interpolation). */
  raw: string;
  /** YAML scalar style of a short-syntax item: plain (unquoted), or quoted/block. */
  scalarStyle?: 'plain' | 'quoted' | 'block';
  /** Long syntax: where `host_ip` stands, when present. */
  hostIpLoc?: SourceLocation;
  /** Variables referenced while interpolating this item. */
  variables: string[];
  /** Variables that had no value and no default, so they became "" (compose warns and goes on). */
  unsetVariables: string[];
  /** True when a variable stands in the host part (IP or host port), so autofix must not rewrite it. */
  hostFromVariable: boolean;
  /** How go-yaml typed a plain scalar item ("int" for `- 80`); absent for quoted items and long syntax. */
  plainType?: string;
  /** Swarm (`docker stack deploy`): the host IP the entry names, which Swarm drops (it publishes on every address). */
  ignoredHostIp?: string;
}

/**
 * Spellings older docker compose releases refuse or read differently (compose-releases.ts says since when):
 * - raw-ipv6: an IPv6 host IP without brackets in short syntax (`::1:8080:80`);
 * - plus-sign: a port written with a plus sign (`+8080:80`, a string to YAML);
 * - app-protocol: the long-syntax key `app_protocol`;
 * - override-tag: `!override` on a service's `ports`, or on the service, over ports of earlier files;
 * - repeated-entry: an entry repeated in one `ports` list.
 */
export type ComposeFeature = 'raw-ipv6' | 'plus-sign' | 'app-protocol' | 'override-tag' | 'repeated-entry';

/** One place a feature is used, as the loader found it. */
export interface ComposeFeatureUse {
  feature: ComposeFeature;
  service: string;
  /** The port entry, the `app_protocol` key, or the tagged node. */
  loc: SourceLocation;
  /** The port entry (raw-ipv6, plus-sign, repeated-entry: the repeat). */
  item?: PortItem;
  /** repeated-entry: the positions in the list of the first entry and of its repeat. */
  positions?: [number, number];
}

/** A binding exactly as Compose sends it to the Engine (HostConfig.PortBindings), plus what the Engine derives. */
export interface Binding extends RawBinding {
  service: string;
  listeners: Listener[];
  /** The port item that produced this binding. */
  item: PortItem;
  /** Load order within the project (file order, then position); collisions are reported at the later one. */
  order: number;
  /**
   * Set when Swarm publishes the port (`docker stack deploy`, a swarm service): through the
   * ingress routing mesh on every node of the swarm, or in host mode on the nodes that run a
   * task. Swarm has no host IP: hostIp is always "" and the listeners are 0.0.0.0 and ::.
   */
  swarm?: { mode: 'ingress' | 'host' };
  /**
   * Live bindings only (portlint audit, check --live): true when `listeners` are what the Engine
   * reports as bound (NetworkSettings.Ports of a running container), false when they are predicted
   * from the request (a stopped or created container). Absent for bindings read from compose files.
   */
  effective?: boolean;
}

export type ProblemKind =
  | 'invalid-port' // Compose or the Engine rejects the port entry
  | 'host-ip-not-ip' // host part is a hostname or not an IP
  | 'invalid-compose' // structure that is not a compose file where portlint needs it
  | 'interpolation' // malformed interpolation, or :? / ? without a value
  | 'ports-with-shared-netns'; // ports on a service that shares another container's network namespace

/** Something Compose or the Engine would reject; the rest of the project still loads. */
export interface Problem {
  kind: ProblemKind;
  service?: string;
  loc: SourceLocation;
  message: string;
}

/** The line of an env file that set a variable. */
export interface VariableOrigin {
  file: string;
  line: number;
}

/**
 * Something the run could check nothing of, said so that zero findings is never silent: a folder
 * with no compose file, a project whose every service sits in an inactive profile.
 */
export interface Notice {
  kind: 'no-compose-file' | 'no-active-service';
  /** The folder, or the project's first compose file. */
  file: string;
  message: string;
}

/** A file that could not be read or parsed at all. */
export interface LoadError {
  file: string;
  line: number;
  column: number;
  message: string;
}

export interface ServiceModel {
  name: string;
  /** Where the service key stands (in the file that first defined it). */
  loc: SourceLocation;
  /** False when none of its profiles is active: it publishes nothing. */
  enabled: boolean;
  profiles: string[];
  /** `image` after interpolation (a live container's image as it was asked for): what the service runs. */
  image?: { value: string; loc: SourceLocation };
  /** network_mode after interpolation, with its location. */
  networkMode?: { value: string; loc: SourceLocation };
  /** `scale` or `deploy.replicas`, whichever applies (scale wins, as in Compose). */
  replicas?: { value: number; loc: SourceLocation };
  /** Networks the service joins (names as declared in the project); ["default"] when none. */
  networks: string[];
  /** Every port item, including those of services that publish nothing (host/none network mode). */
  ports: PortItem[];
  /** Where the `ports` list stands (its first item for a block list), when present. */
  portsLoc?: SourceLocation;
  /** Port items contributed by each file, keyed by file, before merging (for override-appends). */
  portsByFile: Array<{ file: string; items: PortItem[] }>;
  /** Swarm (`docker stack deploy`, a swarm service): how its tasks are scheduled. */
  deploy?: DeployModel;
  /** A live swarm service: its id and full name (`<stack>_<service>`). */
  swarmService?: { id: string; name: string };
}

/** `deploy` as Swarm schedules it (a stack file's deploy section, or a service's spec). */
export interface DeployModel {
  mode: 'replicated' | 'global' | 'replicated-job' | 'global-job';
  /** Tasks of a replicated service (1 when not given). */
  replicas?: number;
  /** placement.constraints, as written ("node.role==manager"). */
  constraints: string[];
  /** Where `deploy` stands in the stack file (absent for a live service without a file). */
  loc?: SourceLocation;
}

export interface NetworkModel {
  name: string;
  /** com.docker.network.bridge.host_binding_ipv4, when set. */
  hostBindingIpv4?: string;
  loc?: SourceLocation;
}

export interface Project {
  name: string;
  /** Absolute project directory. */
  workingDir: string;
  /** Absolute paths of the compose files, in load order (not included or extended files). */
  files: string[];
  services: ServiceModel[];
  networks: NetworkModel[];
  /** Bindings of enabled services, in load order (a binding's index is its rank: the collision rules report at the later one). Host/none network modes and services scaled to 0 publish nothing. */
  bindings: Binding[];
  problems: Problem[];
  /** Spellings in the project's files that older docker compose releases read differently (compose files only). */
  composeFeatures?: ComposeFeatureUse[];
  /** The profiles that were active. */
  activeProfiles: string[];
  /** Variables an env file (.env, --env-file) gave their value, and where; the others came from the environment, or were unset. */
  variableOrigins?: ReadonlyMap<string, VariableOrigin>;
  /**
   * Set when the project was built from one live container (portlint audit): the project is that
   * container. Its name is the container's compose project, or the container's name when it has none.
   */
  container?: ContainerRef;
  /**
   * Set when Swarm deploys it: a stack (`docker stack deploy`, or the services of a swarm with
   * one `com.docker.stack.namespace`), or, with `task`, a container that is a task of a swarm
   * service. The Compose rules (host IPs, Compose collisions) do not judge these; the swarm
   * rules judge stacks, once for the cluster.
   */
  stack?: { name: string; task?: true };
  /** Set for live projects: the engine the container was read from. */
  engine?: EngineRef;
  /**
   * The host the run says the project runs on (`--same-host`, `sameHost`, configured `projects`,
   * the engine of a live project); collision/cross-project compares only projects that share one.
   */
  host?: string;
}

/** A Docker Engine of a live run, as findings name it. */
export interface EngineRef {
  /** The name the run gave it: a docker context name, "default", or the address as given (--host, DOCKER_HOST). */
  name: string;
  /** Where portlint connected ("ssh://deploy@prod-1", "unix:///var/run/docker.sock"). */
  endpoint: string;
}

/** A container on a Docker host, as live findings name it. */
export interface ContainerRef {
  /** Full container id. */
  id: string;
  /** Container name without the leading "/". */
  name: string;
  /** Engine state: running, created, exited, paused, restarting, removing or dead. */
  state: string;
  /** The com.docker.compose.project label, when the container belongs to a compose project. */
  composeProject?: string;
}

export interface LoadResult {
  projects: Project[];
  errors: LoadError[];
  notices?: Notice[];
}
