/**
 * What portlint knows about a Docker host: the Engine, the host it runs on (when it is this
 * machine) and its containers. Plain data: nothing here talks to the Engine, so rules and
 * tests can build it by hand.
 */
import type { RawBinding } from '../model/port-grammar';
import type { ContainerRef, EngineRef, Project, ServiceModel } from '../model/types';
import type { SwarmFacts } from './swarm';

/** The Engine, from GET /version and GET /info. */
export interface EngineFacts {
  /** Engine version as reported ("20.10.24+dfsg1", "28.3.3"). */
  version: string;
  /** API version the Engine speaks ("1.41"). */
  apiVersion: string;
  /** "linux" or "windows". */
  os: string;
  /** Rootless mode (SecurityOptions holds "name=rootless"). */
  rootless: boolean;
  /** Podman's Docker-compatible API rather than Docker Engine. */
  podman: boolean;
  /** The Engine runs on this machine, so the host facts below describe its host. */
  local: boolean;
  /** Where portlint connected, as the user would write it ("unix:///var/run/docker.sock"). */
  endpoint: string;
  /** The Engine host's name (GET /info Name). */
  name: string;
  /** GET /info ID. Not unique on its own: engines sharing a key file or a cloned disk share it. */
  id: string;
  /** GET /info DockerRootDir. */
  rootDir: string;
  /** GET /info Swarm, when the Engine is a node of a swarm. */
  swarm?: {
    nodeId: string;
    /** A manager answers for the whole swarm (services, tasks, nodes); a worker cannot. */
    manager: boolean;
    /** The swarm's id (Cluster.ID; managers only). */
    clusterId?: string;
  };
}

/** A socket a host process listens on (TCP LISTEN, or an unconnected bound UDP socket). */
export interface HostSocket {
  /** Canonical address: "0.0.0.0", "::", "127.0.0.1", "::1", ... (v4-mapped IPv6 shown as IPv4). */
  address: string;
  family: 4 | 6;
  port: number;
  protocol: 'tcp' | 'udp';
  inode: number;
  /** An IPv6 wildcard socket that also accepts IPv4 (net.ipv6.bindv6only = 0 and the socket is on ::). */
  dualStack?: boolean;
  /** Owning process, when /proc/<pid>/fd could be read. */
  process?: { pid: number; name: string };
}

/** Facts about the Engine's host, read from /proc and /etc when the Engine is local. */
export interface HostFacts {
  /** net.ipv4.ip_local_port_range. */
  ephemeralRange?: { start: number; end: number };
  /** net.ipv4.ip_unprivileged_port_start. */
  unprivilegedPortStart?: number;
  /** Listening sockets; absent when /proc/net could not be read. */
  sockets?: HostSocket[];
  /** ufw is enabled (ENABLED=yes in /etc/ufw/ufw.conf). */
  ufw: boolean;
  /** firewalld runs (a firewalld process). */
  firewalld: boolean;
}

/** One effective binding: what the Engine bound (NetworkSettings.Ports, or the list's Ports). */
export interface EffectivePort {
  /** "0.0.0.0", "::", "127.0.0.1" ... */
  hostIp: string;
  hostPort: number;
  containerPort: number;
  protocol: string;
}

/** Where a compose container came from, from its com.docker.compose.* labels. */
export interface ComposeOrigin {
  project: string;
  service: string;
  /** com.docker.compose.container-number. */
  number?: number;
  /** com.docker.compose.project.working_dir. */
  workingDir?: string;
  /** com.docker.compose.project.config_files, made absolute against the working directory. */
  configFiles: string[];
  /** com.docker.compose.project.environment_file, made absolute. */
  envFiles: string[];
  /** One-off container (`compose run`). */
  oneoff: boolean;
  /**
   * The project as its compose files say it now, when they could be read on this machine
   * (loaded with every profile active); `service` is absent when the files no longer define it.
   */
  current?: { project: Project; service?: ServiceModel };
  /** Why the compose files were not read (missing on this machine, unreadable ...). */
  unavailable?: string;
}

/** One container on the host, as portlint models it. */
export interface LiveContainer {
  ref: ContainerRef;
  labels: Record<string, string>;
  /** The image as the container was created from it (Config.Image: "mariadb:11", or an ID). */
  image: string;
  /** HostConfig.NetworkMode: "default", "bridge", "host", "none", "container:<id>", or a network name. */
  networkMode: string;
  /** Names of the networks the container is attached to. */
  networks: string[];
  /** HostConfig.PublishAllPorts (`-P`); undefined when the container was not inspected. */
  publishAll?: boolean;
  /** HostConfig.PortBindings, as requested ("" host IPs, ranges, "0"); undefined when not inspected. */
  requested?: RawBinding[];
  /** What the Engine bound (empty for a container that does not run). */
  effective: EffectivePort[];
  compose?: ComposeOrigin;
}

/** Everything the live-only rules read (RuleInput.live). */
export interface LiveInput {
  /** How findings name this engine. */
  ref: EngineRef;
  engine: EngineFacts;
  /** Present only when the Engine is local. */
  host?: HostFacts;
  containers: LiveContainer[];
  /**
   * The containers in the shared model: one project per container, in the order of `containers`;
   * then, from a swarm manager, one project per stack.
   */
  projects: Project[];
  /** From a swarm manager (the first of the run, for a swarm with several): its nodes, services and tasks. */
  swarm?: SwarmFacts;
}
