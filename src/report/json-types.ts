/**
 * The JSON contracts: what `check --format json` / `audit --format json` and `ports --format json`
 * print, and what the programmatic API returns (the same objects). Field names are public.
 * This module imports nothing, so the package's type declarations can ship it as it is.
 */

/** A path as the report shows it: relative to the working directory when inside it, else absolute. */
export type ReportPath = string;

export interface LintFinding {
  ruleId: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  project: string;
  service?: string;
  /** audit: the live container the finding is about (its compose project when it has one). */
  container?: { id: string; name: string; project?: string };
  /** audit: the engine the finding is about. */
  engine?: { name: string; endpoint: string };
  /** A swarm stack's service: its stack, full name (`<stack>_<service>`) and, when live, id. */
  swarm?: { stack: string; service: string; id?: string };
  /** Where, when a file describes it (1-based lines and columns; the end is exclusive). */
  file?: ReportPath;
  line?: number;
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** The binding the finding is about; for a run (count > 1) hostPort is its host range and containerPort its first port. */
  binding?: { hostIp: string; hostPort: string; containerPort: number; protocol: string; count: number };
  /** The other places that make the finding (the other side of a collision). */
  related?: Array<{ file: ReportPath; line: number; column: number; message: string }>;
  /**
   * Findings of other rules about the same concern on the same port entry, which this one speaks
   * for (a database on every interface is also an unbound publish): one voice per concern.
   */
  also?: Array<{ ruleId: string; severity: 'error' | 'warning' | 'info'; message: string }>;
}

/** A file that could not be read or parsed at all; line and column are 0 when it could not be read. */
export interface LintLoadError {
  file: ReportPath;
  line: number;
  column: number;
  message: string;
}

/** Something the run could check nothing of: a folder with no compose file, a project with no active service. */
export interface LintNotice {
  kind: 'no-compose-file' | 'no-active-service';
  file: ReportPath;
  message: string;
}

/** One engine of an audit, as the report shows it. */
export interface EngineSummary {
  name: string;
  /** Where portlint connected; "" when the target could not even be addressed (a missing context). */
  endpoint: string;
  /** The Engine host's name (GET /info Name). */
  host?: string;
  product?: 'Docker Engine' | 'Podman';
  version?: string;
  rootless?: boolean;
  /** Containers read. */
  containers?: number;
  /** Swarm services read (a manager). */
  services?: number;
  /** The engine is a node of a swarm: a manager (its services are read) or a worker (they are not: audit a manager). */
  swarm?: 'manager' | 'worker';
  /** A manager of a swarm whose services are reported under this earlier engine of the run. */
  swarmReportedBy?: string;
  /** Engine API requests sent (all GET). */
  calls?: number;
  /** Why the engine was not read (exit 2). */
  error?: string;
  /** The earlier engine of the run this one is (reached through another address): reported once, under that name. */
  sameAs?: string;
}

/** `check --format json` (and `audit`, which adds `engines`). */
export interface LintReport {
  findings: LintFinding[];
  errors: LintLoadError[];
  /** Present when some path or project gave nothing to check (zero findings is never silent). */
  notices?: LintNotice[];
  engines?: EngineSummary[];
  summary: {
    errors: number;
    warnings: number;
    infos: number;
    loadErrors: number;
    /** Files read (compose, override, included and extended files). */
    files: number;
    enginesNotRead?: number;
    /** `check` and the API: the projects checked, and how many collision/cross-project compared. */
    projects?: ProjectsSummary;
  };
}

/** The projects of a check, and how many of them were compared across projects. */
export interface ProjectsSummary {
  /** Compose projects checked (swarm stacks are not counted). */
  checked: number;
  /**
   * Projects collision/cross-project compared: those on a host shared with a project of another
   * name (--same-host, sameHost or configured projects). Absent when the rule is off.
   */
  compared?: number;
}

/** One binding the Engine receives (a host range that maps port to port is one entry per port). */
export interface PortsBinding {
  service: string;
  /** "" when the entry names no host IP. */
  hostIp: string;
  /** "" or "0" when the Engine chooses; "8000-8010" when it picks one port of a range. */
  hostPort: string;
  containerPort: number;
  protocol: string;
  /** The sockets the Engine opens, such as "0.0.0.0:8080/tcp" and "[::]:8080/tcp". */
  listeners: string[];
  file: ReportPath;
  line: number;
  column: number;
  /** The port entry after interpolation, in short syntax. */
  spec: string;
  /** Set when Swarm publishes the port: through the ingress mesh, or in host mode. */
  swarm?: { mode: 'ingress' | 'host' };
}

/** Something Compose or the Engine would reject; the rest of the project still loads. */
export interface PortsProblem {
  service?: string;
  kind: 'invalid-port' | 'host-ip-not-ip' | 'invalid-compose' | 'interpolation' | 'ports-with-shared-netns';
  file: ReportPath;
  line: number;
  column: number;
  message: string;
}

export interface PortsProject {
  name: string;
  workingDir: string;
  files: ReportPath[];
  activeProfiles: string[];
  bindings: PortsBinding[];
  problems: PortsProblem[];
}

/** `ports --format json`. */
export interface PortsReport {
  projects: PortsProject[];
  errors: LintLoadError[];
}
