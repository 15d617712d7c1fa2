/**
 * Turns one YAML document of a compose file into the part of the Compose model
 * portlint needs (ports, network mode, profiles, replicas, networks, extends,
 * include, name), interpolated the way compose-go does: per file, before merging.
 */
import type { ComposeFeatureUse, DeployModel, PortItem, Problem, ProblemKind, SourceLocation } from '../model/types';
import { resolvePlainScalar } from '../model/yaml-scalar';
import { parseLongSpec, parseShortSpec } from '../model/port-grammar';
import { portItemDedupeKey } from '../model/dedupe-key';
import type { RawBinding } from '../model/port-grammar';
import { interpolate, interpolateCli, type Lookup } from './interpolate';
import { swarmPublished } from '../model/swarm-ports';
import { get, locOf, describeKind, type ComposeTag, type YMap, type YNode, type YScalar } from './yaml-tree';

export interface Scoped<T> {
  value: T;
  loc: SourceLocation;
  tag?: ComposeTag;
}

export interface PortDraft {
  item: PortItem;
  bindings: RawBinding[];
  /** `--swarm`: how Swarm publishes the entry's ports. */
  swarmMode?: 'ingress' | 'host';
  /** compose-go's EnforceUnicity key of the raw entry. */
  rawKey: string;
  /** The entry as a JSON value, as the schema's uniqueItems compares entries. */
  schemaKey: string;
  /** Sort key for load order: file rank, then offset. */
  position: number;
}

export interface NetworkRef {
  name: string;
  priority: number;
}

export interface ServiceDraft {
  name: string;
  keyLoc: SourceLocation;
  tag?: ComposeTag;
  ports?: Scoped<PortDraft[]>;
  image?: Scoped<string>;
  networkMode?: Scoped<string>;
  profiles?: Scoped<string[]>;
  scale?: Scoped<number>;
  replicas?: Scoped<number>;
  networks?: Scoped<NetworkRef[]>;
  extends?: { service: string; file?: string; loc: SourceLocation };
  /** `--swarm`: deploy.mode and placement (deploy.replicas is `replicas`). */
  deploy?: Scoped<{ mode: DeployModel['mode']; constraints: string[] }>;
}

export interface NetworkDraft {
  name: string;
  hostBindingIpv4?: Scoped<string>;
  tag?: ComposeTag;
}

export interface IncludeDraft {
  paths: string[];
  projectDirectory?: string;
  envFiles?: string[];
  loc: SourceLocation;
}

export interface FileDraft {
  file: string;
  name?: Scoped<string>;
  services: ServiceDraft[];
  servicesTag?: ComposeTag;
  networks: NetworkDraft[];
  includes: IncludeDraft[];
  problems: Problem[];
  /** Spellings older docker compose releases read differently (the compose setting judges them). */
  features: ComposeFeatureUse[];
}

const LONG_SYNTAX_KEYS = new Set(['target', 'published', 'host_ip', 'protocol', 'mode', 'name', 'app_protocol']);
const HOST_BINDING_IPV4 = 'com.docker.network.bridge.host_binding_ipv4';

const SWARM_PORT_KEYS = new Set(['target', 'published', 'protocol', 'mode']);
const DEPLOY_MODES: ReadonlySet<string> = new Set(['replicated', 'global', 'replicated-job', 'global-job']);

/**
 * Everything one document contributes, interpolated with `lookup`. `rank` orders files for load
 * order. With `swarm`, the document is read as `docker stack deploy` reads it: the docker CLI's
 * interpolation and schema (v3), ports converted the way Swarm publishes them.
 */
export function readComposeDocument(root: YNode, lookup: Lookup, rank: number, swarm = false): FileDraft {
  return new DocumentReader(lookup, rank, swarm).read(root);
}

/** `${NAME?…}` or `${NAME:?…}`, as written in a file (escapes and quoting aside: a cheap first test). */
const REQUIRED_EXPRESSION = /\$\{[_A-Za-z][_A-Za-z0-9]*:?\?/;

class DocumentReader {
  private readonly problems: Problem[] = [];
  private readonly features: ComposeFeatureUse[] = [];
  constructor(
    private readonly lookup: Lookup,
    private readonly rank: number,
    private readonly swarm: boolean,
  ) {}

  private problem(kind: ProblemKind, node: YNode, message: string, service?: string): void {
    this.problems.push({ kind, service, loc: locOf(node), message });
  }

  /** Scalars interpolated while reading the parts portlint models (their errors are reported there). */
  private readonly interpolated = new Set<YScalar>();

  /** A scalar's text interpolated as this reader's tool does it (docker compose, or docker stack deploy). */
  private interpolateScalar(node: YScalar, path: string) {
    return this.swarm ? interpolateCli(node.text, this.lookup, path) : interpolate(node.text, this.lookup, path);
  }

  /** Interpolates a string scalar; reports and returns undefined on error. */
  private text(node: YScalar, path: string, service?: string) {
    this.interpolated.add(node);
    const result = this.interpolateScalar(node, path);
    if (result.error !== undefined) {
      const message = this.swarm
        ? `${result.error}${/required variable/.test(result.error) ? ' (docker stack deploy reads variables from its environment only, never from .env)' : ''}`
        : result.error.startsWith('invalid interpolation')
          ? `invalid interpolation format for ${path} in ${JSON.stringify(node.text)}; escape a literal $ as $$`
          : /^required variable/.test(result.error)
            ? `${result.error} (${path}); set the variable in the environment or in .env`
            : result.error;
      this.problem('interpolation', node, message, service);
      return undefined;
    }
    return result;
  }

  /** A scalar's value as Compose sees it: plain scalars typed by go-yaml, strings interpolated. */
  private scalarValue(node: YScalar, path: string, service?: string): { value: string | number | boolean | null; type: string } | undefined {
    if (node.style === 'plain') {
      const typed = resolvePlainScalar(node.text);
      if (typed.type !== 'str') return typed;
    }
    const result = this.text(node, path, service);
    return result && { value: result.value, type: 'str' };
  }

  private scalarString(node: YNode, path: string, service?: string): Scoped<string> | undefined {
    if (node.kind !== 'scalar') {
      this.problem('invalid-compose', node, `${path} must be a string, not ${describeKind(node)}`, service);
      return undefined;
    }
    const v = this.scalarValue(node, path, service);
    if (!v || v.value === null) return undefined;
    return { value: String(v.value), loc: locOf(node), tag: node.tag };
  }

  /**
   * `image`, read only to recognise the service: a value that is not a string or does not
   * interpolate leaves it unknown, and the problem is reported where Compose's own check is
   * modelled (a required variable by the walk over every interpolated value), not here.
   */
  private imageName(node: YNode, path: string): Scoped<string> | undefined {
    if (node.kind !== 'scalar') return undefined;
    const result = this.interpolateScalar(node, path);
    return result.error === undefined && result.value ? { value: result.value, loc: locOf(node) } : undefined;
  }

  private integer(node: YNode, path: string, service: string): Scoped<number> | undefined {
    const s = node.kind === 'scalar' ? this.scalarValue(node, path, service) : undefined;
    const n = s && (typeof s.value === 'number' ? s.value : /^[+-]?\d+$/.test(String(s.value)) ? Number(s.value) : NaN);
    if (n === undefined || !Number.isInteger(n)) {
      if (!s || s.value !== null) this.problem('invalid-compose', node, `${path} must be an integer`, service);
      return undefined;
    }
    return { value: n, loc: locOf(node), tag: node.tag };
  }

  read(root: YNode): FileDraft {
    const draft: FileDraft = { file: root.file.path, services: [], networks: [], includes: [], problems: this.problems, features: this.features };
    if (root.kind !== 'map') {
      this.problem('invalid-compose', root, `a compose file must be a mapping at the top level, not ${describeKind(root)}`);
      return draft;
    }
    const name = get(root, 'name');
    if (this.swarm) {
      // v3 schema: additionalProperties false at the top level; the whole deploy fails.
      for (const key of ['name', 'include']) {
        const node = get(root, key);
        if (node) this.problem('invalid-compose', node, `(root) Additional property ${key} is not allowed: docker stack deploy refuses the file (the docker CLI's v3 schema has no ${key})`);
      }
    } else if (name) draft.name = this.scalarString(name, 'name');
    const services = get(root, 'services');
    if (services) {
      draft.servicesTag = services.tag;
      if (services.kind === 'map') {
        for (const entry of services.entries) {
          const service = this.service(entry.key, entry.keyNode, entry.value);
          if (service) draft.services.push(service);
        }
      } else if (!isNull(services)) {
        this.problem('invalid-compose', services, `services must be a mapping of service names to services, not ${describeKind(services)}`);
      }
    }
    const networks = get(root, 'networks');
    if (networks?.kind === 'map') {
      for (const entry of networks.entries) draft.networks.push(this.network(entry.key, entry.value));
    }
    const include = get(root, 'include');
    if (include && !this.swarm) this.includes(include, draft.includes);
    // Most files have no `?` expression at all: one search of the text spares the walk.
    if (REQUIRED_EXPRESSION.test(root.file.text)) this.requiredVariables(root, '');
    return draft;
  }

  /**
   * `${X:?message}` and `${X?message}` anywhere Compose interpolates (every value, extensions
   * too; keys are not interpolated): without a value Compose refuses the whole project, so this
   * is said where it stands, not only in the parts portlint models.
   */
  private requiredVariables(node: YNode, path: string, service?: string, walked = new Set<YNode>()): void {
    // Aliases share nodes: each is walked once, so a billion laughs costs its distinct nodes only.
    if (walked.has(node)) return;
    walked.add(node);
    if (node.kind === 'map') {
      for (const e of node.entries) this.requiredVariables(e.value, path ? `${path}.${e.key}` : e.key, service ?? (path === 'services' ? e.key : undefined), walked);
      return;
    }
    if (node.kind === 'seq') {
      for (const item of node.items) this.requiredVariables(item, `${path}.[]`, service, walked);
      return;
    }
    if (this.interpolated.has(node) || !node.text.includes('?') || !node.text.includes('${')) return;
    const result = this.interpolateScalar(node, path);
    if (result.error === undefined || !/required variable/.test(result.error)) return;
    const from = this.swarm ? 'set the variable in the environment of docker stack deploy (it reads no .env)' : 'set the variable in the environment or in .env';
    this.problem('invalid-compose', node, `${result.error.replace(/^.*?(required variable)/, '$1')} (${path}): docker compose refuses the whole project; ${from}`, service);
  }

  private network(name: string, node: YNode): NetworkDraft {
    const out: NetworkDraft = { name, tag: node.tag };
    const opts = get(node, 'driver_opts');
    const ip = opts && get(opts, HOST_BINDING_IPV4);
    if (ip) out.hostBindingIpv4 = this.scalarString(ip, `networks.${name}.driver_opts.${HOST_BINDING_IPV4}`);
    return out;
  }

  private includes(node: YNode, out: IncludeDraft[]): void {
    if (node.kind !== 'seq') {
      this.problem('invalid-compose', node, `include must be a list, not ${describeKind(node)}`);
      return;
    }
    for (const item of node.items) {
      const strings = (n: YNode | undefined, path: string): string[] =>
        !n ? [] : n.kind === 'seq' ? n.items.flatMap((i) => strings(i, path)) : [this.scalarString(n, path)?.value ?? ''].filter(Boolean);
      if (item.kind === 'map') {
        out.push({
          paths: strings(get(item, 'path'), 'include.path'),
          projectDirectory: strings(get(item, 'project_directory'), 'include.project_directory')[0],
          envFiles: get(item, 'env_file') ? strings(get(item, 'env_file'), 'include.env_file') : undefined,
          loc: locOf(item),
        });
      } else {
        out.push({ paths: strings(item, 'include'), loc: locOf(item) });
      }
    }
  }

  private service(name: string, keyNode: YScalar, node: YNode): ServiceDraft | undefined {
    const path = `services.${name}`;
    // The docker CLI knows no !reset or !override: they are plain values there.
    const draft: ServiceDraft = { name, keyLoc: locOf(keyNode), tag: this.swarm ? undefined : node.tag };
    if (node.kind !== 'map') {
      if (isNull(node)) return draft;
      this.problem('invalid-compose', node, `service "${name}" must be a mapping, not ${describeKind(node)}`, name);
      return undefined;
    }
    if (this.swarm) {
      this.swarmService(draft, node);
      return draft;
    }
    for (const { key, value } of node.entries) {
      switch (key) {
        case 'ports':
          draft.ports = this.ports(value, name);
          break;
        case 'image':
          draft.image = this.imageName(value, `${path}.image`);
          break;
        case 'network_mode':
          draft.networkMode = this.scalarString(value, `${path}.network_mode`, name);
          break;
        case 'profiles':
          draft.profiles = this.stringList(value, `${path}.profiles`, name);
          break;
        case 'scale':
          draft.scale = this.integer(value, `${path}.scale`, name);
          break;
        case 'deploy': {
          const replicas = get(value, 'replicas');
          if (replicas) draft.replicas = this.integer(replicas, `${path}.deploy.replicas`, name);
          break;
        }
        case 'networks':
          draft.networks = this.serviceNetworks(value, name);
          break;
        case 'extends':
          draft.extends = this.extendsRef(value, name);
          break;
      }
    }
    return draft;
  }

  /**
   * A service as `docker stack deploy` reads it: ports, deploy (mode, replicas, placement) and
   * networks. network_mode is ignored there (the CLI says so and deploys); profiles, scale and
   * extends make it refuse the file.
   */
  private swarmService(draft: ServiceDraft, node: YMap): void {
    const name = draft.name;
    const path = `services.${name}`;
    for (const { key, keyNode, value } of node.entries) {
      switch (key) {
        case 'ports':
          draft.ports = this.ports(value, name);
          break;
        case 'image':
          draft.image = this.imageName(value, `${path}.image`);
          break;
        case 'deploy':
          this.deploy(draft, value);
          break;
        case 'networks':
          draft.networks = this.serviceNetworks(value, name);
          break;
        case 'profiles':
        case 'scale':
          this.problem('invalid-compose', keyNode, `${path} Additional property ${key} is not allowed: docker stack deploy refuses the file${key === 'scale' ? ' (use deploy.replicas)' : ''}`, name);
          break;
        case 'extends':
          this.problem('invalid-compose', keyNode, `${path}.extends: docker stack deploy refuses the file ("Support for \`extends\` is not implemented yet"); write the service out, or merge files with docker compose config first`, name);
          break;
      }
    }
  }

  private deploy(draft: ServiceDraft, node: YNode): void {
    const name = draft.name;
    const path = `services.${name}.deploy`;
    if (node.kind !== 'map') return;
    const modeNode = get(node, 'mode');
    const mode = modeNode ? this.scalarString(modeNode, `${path}.mode`, name) : undefined;
    if (mode && !DEPLOY_MODES.has(mode.value)) this.problem('invalid-compose', modeNode!, `service ${name}: Unknown mode: ${mode.value} (use replicated, global, replicated-job or global-job; the name is case-sensitive)`, name);
    const replicas = get(node, 'replicas');
    if (replicas) draft.replicas = this.integer(replicas, `${path}.replicas`, name);
    const value = (mode && DEPLOY_MODES.has(mode.value) ? mode.value : 'replicated') as DeployModel['mode'];
    if (draft.replicas && (value === 'global' || value === 'global-job')) {
      this.problem('invalid-compose', replicas!, `service ${name}: replicas can only be used with replicated or replicated-job mode`, name);
    }
    const placement = get(node, 'placement');
    const constraints = placement && get(placement, 'constraints');
    draft.deploy = {
      value: {
        mode: value,
        constraints: constraints ? (this.stringList(constraints, `${path}.placement.constraints`, name)?.value ?? []) : [],
      },
      loc: locOf(node),
    };
  }

  private stringList(node: YNode, path: string, service: string): Scoped<string[]> | undefined {
    if (isNull(node)) return undefined;
    if (node.kind !== 'seq') {
      this.problem('invalid-compose', node, `${path} must be a list, not ${describeKind(node)}`, service);
      return undefined;
    }
    const values: string[] = [];
    for (const item of node.items) {
      const s = this.scalarString(item, path, service);
      if (s) values.push(s.value);
    }
    return { value: values, loc: locOf(node), tag: node.tag };
  }

  private serviceNetworks(node: YNode, service: string): Scoped<NetworkRef[]> | undefined {
    const path = `services.${service}.networks`;
    if (node.kind === 'seq') {
      const names = this.stringList(node, path, service);
      return names && { value: names.value.map((name) => ({ name, priority: 0 })), loc: names.loc, tag: node.tag };
    }
    if (node.kind === 'map') {
      const refs = node.entries.map(({ key, value }) => {
        const p = get(value, 'priority');
        const priority = p ? this.integer(p, `${path}.${key}.priority`, service)?.value ?? 0 : 0;
        return { name: key, priority };
      });
      return { value: refs, loc: locOf(node), tag: node.tag };
    }
    if (!isNull(node)) this.problem('invalid-compose', node, `${path} must be a list or a mapping, not ${describeKind(node)}`, service);
    return undefined;
  }

  private extendsRef(node: YNode, service: string): ServiceDraft['extends'] {
    if (node.kind === 'scalar') {
      const s = this.scalarString(node, `services.${service}.extends`, service);
      return s && { service: s.value, loc: s.loc };
    }
    const target = get(node, 'service');
    const s = target && this.scalarString(target, `services.${service}.extends.service`, service);
    if (!s) {
      this.problem('invalid-compose', node, `services.${service}.extends needs a service name`, service);
      return undefined;
    }
    const file = get(node, 'file');
    return { service: s.value, file: file && this.scalarString(file, `services.${service}.extends.file`, service)?.value, loc: locOf(node) };
  }

  private ports(node: YNode, service: string): Scoped<PortDraft[]> | undefined {
    const path = `services.${service}.ports`;
    if (isNull(node)) return node.tag ? { value: [], loc: locOf(node), tag: node.tag } : undefined;
    if (node.kind !== 'seq') {
      this.problem('invalid-compose', node, `${path} must be a list of port entries, not ${describeKind(node)}`, service);
      return node.tag ? { value: [], loc: locOf(node), tag: node.tag } : undefined;
    }
    const drafts: PortDraft[] = [];
    // The schema's uniqueItems, on the interpolated entries: docker stack deploy (--swarm) and
    // compose before 2.24 (compose-go v1) refuse a repeat; later releases drop it silently.
    const seen = new Map<string, number>();
    node.items.forEach((item, index) => {
      // A `!reset` item is dropped from its own file; it cannot remove an item of an earlier file.
      if (item.tag === '!reset' && !this.swarm) return;
      const draft = item.kind === 'map' ? (this.swarm ? this.swarmLongPort(item, service, index) : this.longPort(item, service)) : this.shortPort(item, service, index);
      if (!draft) return;
      const first = seen.get(draft.schemaKey);
      if (first !== undefined && this.swarm) {
        this.problem('invalid-port', item, `${path} array items[${first},${index}] must be unique: docker stack deploy refuses the file; remove the repeated entry`, service);
        return;
      }
      if (first !== undefined) this.features.push({ feature: 'repeated-entry', service, loc: draft.item.loc, item: draft.item, positions: [first, index] });
      else seen.set(draft.schemaKey, index);
      drafts.push(draft);
    });
    return { value: drafts, loc: locOf(node), tag: this.swarm ? undefined : node.tag };
  }

  private position(node: YNode): number {
    return this.rank * 1e9 + node.start;
  }

  private shortPort(node: YNode, service: string, index: number): PortDraft | undefined {
    const path = `services.${service}.ports`;
    if (node.kind !== 'scalar') {
      this.problem('invalid-compose', node, `${path} items must be a string, a number or a mapping, not ${describeKind(node)}`, service);
      return undefined;
    }
    const raw = node.file.text.slice(node.start, node.end);
    let spec: string;
    let variables: string[] = [];
    let unset: string[] = [];
    let rawKey: string;
    let plainType: string | undefined;
    if (node.style === 'plain') {
      const typed = resolvePlainScalar(node.text);
      plainType = typed.type;
      if (typed.type === 'int') {
        spec = String(typed.value);
        rawKey = portItemDedupeKey({ kind: 'int', value: typed.value as number });
      } else if (typed.type !== 'str') {
        const goType = { float: 'float64', bool: 'bool', null: '<nil>', timestamp: 'time.Time' }[typed.type] ?? typed.type;
        this.problem('invalid-port', node, `${path}: invalid type ${goType} for port (${raw}); write the entry as a quoted string such as "8080:80"`, service);
        return undefined;
      }
    }
    if (plainType === undefined || plainType === 'str') {
      const result = this.text(node, `${path}.[]`, service);
      if (!result) return undefined;
      spec = result.value;
      variables = result.variables;
      unset = result.unset;
      rawKey = portItemDedupeKey({ kind: 'str', value: spec });
    }
    const item: PortItem = {
      service,
      loc: locOf(node),
      syntax: 'short',
      spec: spec!,
      raw,
      scalarStyle: node.style,
      variables,
      unsetVariables: unset,
      hostFromVariable: hostSideHasVariable(node.text),
      plainType,
    };
    const parsed = parseShortSpec(spec!);
    if (!parsed.ok) {
      const where = this.swarm ? `${path}.${index} Does not match format 'ports': ` : '';
      const message = unset.length ? unsetCause(node.text, spec!, unset, parsed.message) : `${parsed.message} in port entry ${JSON.stringify(spec!)}${fixHint(parsed.kind, parsed.message)}`;
      this.problem(parsed.kind, node, `${where}${message}`, service);
      return undefined;
    }
    // uniqueItems compares JSON values: the number 80 and the string "80" differ.
    const schemaKey = `${plainType === 'int' ? 'number' : 'string'}\0${spec!}`;
    if (this.swarm) {
      const published = swarmPublished(parsed.bindings);
      if (published.ignoredHostIp !== undefined) item.ignoredHostIp = published.ignoredHostIp;
      return { item, bindings: published.bindings, swarmMode: 'ingress', rawKey: schemaKey, schemaKey, position: this.position(node) };
    }
    for (const feature of parsed.features ?? []) this.features.push({ feature, service, loc: item.loc, item });
    return { item, bindings: parsed.bindings, rawKey: rawKey!, schemaKey, position: this.position(node) };
  }

  /**
   * A long-syntax entry as the docker CLI reads it: only target, published, protocol and mode
   * (v3 schema); target and published are integers, and a string is cast only when a variable
   * made it (the CLI's interpolation cast); published is one port, not a range. Swarm (the
   * daemon) then lower-cases protocol and mode and quietly takes tcp and ingress for anything
   * it does not know, so those are reported.
   */
  private swarmLongPort(node: YMap, service: string, index: number): PortDraft | undefined {
    const path = `services.${service}.ports.${index}`;
    const numbers: Record<string, number | undefined> = {};
    const words: Record<string, string | undefined> = {};
    const variables: string[] = [];
    const unset: string[] = [];
    let hostFromVariable = false;
    for (const { key, keyNode, value } of node.entries) {
      if (!SWARM_PORT_KEYS.has(key)) {
        const hint = key === 'host_ip' ? ': Swarm publishes on every address of every node, there is no host IP (use mode: host and a firewall, or do not publish)' : ' (use target, published, protocol or mode)';
        this.problem(key === 'host_ip' ? 'invalid-port' : 'invalid-compose', keyNode, `${path} Additional property ${key} is not allowed: docker stack deploy refuses the file${hint}`, service);
        return undefined;
      }
      if (value.kind !== 'scalar') {
        this.problem('invalid-compose', value, `${path}.${key} must be a ${key === 'target' || key === 'published' ? 'integer' : 'string'}, not ${describeKind(value)}`, service);
        return undefined;
      }
      const typed = value.style === 'plain' ? resolvePlainScalar(value.text) : undefined;
      if (typed?.type === 'null') continue;
      if (key === 'target' || key === 'published') {
        if (typed?.type === 'int') {
          numbers[key] = typed.value as number;
          continue;
        }
        const result = typed && typed.type !== 'str' ? undefined : this.text(value, `services.${service}.ports.[].${key}`, service);
        if (typed && typed.type !== 'str') {
          this.problem('invalid-port', value, `${path}.${key} must be a integer (${value.text})`, service);
          return undefined;
        }
        if (!result) return undefined;
        for (const v of result.variables) if (!variables.includes(v)) variables.push(v);
        for (const v of result.unset) if (!unset.includes(v)) unset.push(v);
        if (key === 'published' && result.variables.length) hostFromVariable = true;
        if (result.value === value.text) {
          this.problem('invalid-port', value, `${path}.${key} must be a integer, not the string ${JSON.stringify(value.text)}: docker stack deploy refuses the file; write it unquoted`, service);
          return undefined;
        }
        if (!/^[+-]?\d+$/.test(result.value)) {
          this.problem('invalid-port', value, `error while interpolating services.${service}.ports.[].${key}: failed to cast to expected type: strconv.Atoi: parsing ${JSON.stringify(result.value)}: invalid syntax`, service);
          return undefined;
        }
        numbers[key] = Number(result.value);
        continue;
      }
      const result = this.text(value, `services.${service}.ports.[].${key}`, service);
      if (!result) return undefined;
      words[key] = result.value;
    }
    for (const key of ['target', 'published'] as const) {
      const n = numbers[key];
      if (n !== undefined && (n < 0 || n > 65535)) {
        const what = n < 0 ? `${n} overflows uint: docker stack deploy refuses the file` : `is above 65535: Swarm creates the service but never allocates the port, and its tasks stay in state New`;
        this.problem('invalid-port', get(node, key)!, `${path}.${key} ${what}`, service);
        return undefined;
      }
    }
    const protocol = (words.protocol ?? 'tcp').toLowerCase();
    const modeText = (words.mode ?? 'ingress').toLowerCase();
    for (const [key, value, known] of [['protocol', protocol, ['tcp', 'udp', 'sctp']], ['mode', modeText, ['ingress', 'host']]] as const) {
      if (!(known as readonly string[]).includes(value)) {
        this.problem('invalid-port', get(node, key)!, `${path}.${key} ${JSON.stringify(words[key])} is not ${known.join(' or ')}: Swarm accepts it and publishes the port as ${known[0]}; write ${known[0]}, or what you meant`, service);
        return undefined;
      }
    }
    const target = numbers.target ?? 0;
    const published = numbers.published;
    const binding: RawBinding = published
      ? { hostIp: '', hostPort: String(published), hostPorts: { start: published, end: published }, containerPort: target, protocol, count: 1 }
      : { hostIp: '', hostPort: '', containerPort: target, protocol, count: 1 };
    const item: PortItem = {
      service,
      loc: locOf(node),
      syntax: 'long',
      spec: renderLong({ ...numbers, ...words }),
      raw: node.file.text.slice(node.start, node.end),
      variables,
      unsetVariables: unset,
      hostFromVariable,
    };
    return { item, bindings: [binding], swarmMode: modeText as 'ingress' | 'host', rawKey: `map\0${item.spec}`, schemaKey: `map\0${item.spec}`, position: this.position(node) };
  }

  private longPort(node: YMap, service: string): PortDraft | undefined {
    const path = `services.${service}.ports.[]`;
    const fields: Record<string, unknown> = {};
    const variables: string[] = [];
    const unset: string[] = [];
    let publishedIsInt = false;
    let hostFromVariable = false;
    for (const { key, keyNode, value } of node.entries) {
      if (!LONG_SYNTAX_KEYS.has(key)) {
        if (key.startsWith('x-')) continue;
        this.problem('invalid-compose', keyNode, `${path}: additional property ${key} is not allowed (use target, published, host_ip, protocol, mode, name or app_protocol)`, service);
        return undefined;
      }
      if (value.kind !== 'scalar') {
        this.problem('invalid-compose', value, `${path}.${key} must be a string or a number, not ${describeKind(value)}`, service);
        return undefined;
      }
      if (value.style === 'plain') {
        const typed = resolvePlainScalar(value.text);
        if (typed.type !== 'str') {
          fields[key] = typed.value;
          if (key === 'published' && typed.type === 'int') publishedIsInt = true;
          continue;
        }
      }
      const result = this.text(value, `${path}.${key}`, service);
      if (!result) return undefined;
      fields[key] = result.value;
      for (const v of result.variables) if (!variables.includes(v)) variables.push(v);
      for (const v of result.unset) if (!unset.includes(v)) unset.push(v);
      if ((key === 'host_ip' || key === 'published') && result.variables.length) hostFromVariable = true;
    }
    const hostIpNode = get(node, 'host_ip');
    const appProtocol = node.entries.find((e) => e.key === 'app_protocol');
    if (appProtocol) this.features.push({ feature: 'app-protocol', service, loc: locOf(appProtocol.keyNode) });
    const item: PortItem = {
      service,
      loc: locOf(node),
      syntax: 'long',
      spec: renderLong(fields),
      raw: node.file.text.slice(node.start, node.end),
      hostIpLoc: hostIpNode && locOf(hostIpNode),
      variables,
      unsetVariables: unset,
      hostFromVariable,
    };
    const parsed = parseLongSpec(fields);
    if (!parsed.ok) {
      const at = parsed.kind === 'host-ip-not-ip' && hostIpNode ? hostIpNode : node;
      this.problem(parsed.kind, at, `${path}: ${parsed.message}${fixHint(parsed.kind, parsed.message)}`, service);
      return undefined;
    }
    const rawKey = portItemDedupeKey({
      kind: 'map',
      // A null field (`published: ~`) is keyed like a missing one.
      host_ip: (fields.host_ip ?? undefined) as string | undefined,
      published: (fields.published ?? undefined) as string | number | undefined,
      publishedIsInt,
      // compose-go casts target to an int while interpolating, before de-duplication.
      target: typeof fields.target === 'string' && /^\d+$/.test(fields.target) ? Number(fields.target) : (fields.target as number | string),
      protocol: (fields.protocol ?? undefined) as string | undefined,
    });
    const schemaKey = `map\0${JSON.stringify(Object.entries(fields).sort(([a], [b]) => (a < b ? -1 : 1)))}`;
    return { item, bindings: parsed.bindings, rawKey, schemaKey, position: this.position(node) };
  }
}

function isNull(node: YNode): boolean {
  return node.kind === 'scalar' && node.style === 'plain' && resolvePlainScalar(node.text).type === 'null';
}

/** True when a `$` stands left of the container port, i.e. in the host IP or host port. */
function hostSideHasVariable(text: string): boolean {
  const cut = text.lastIndexOf(':');
  if (cut < 0) return false;
  const host = text.slice(0, cut);
  return host.replace(/\$\$/g, '').includes('$');
}

function renderLong(fields: Record<string, unknown>): string {
  return Object.entries(fields)
    .filter(([k]) => LONG_SYNTAX_KEYS.has(k))
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(',');
}

/**
 * An entry broken by variables without a value says so first: what was written, what Compose
 * made of it, and which variables to set, then Compose's own words.
 */
function unsetCause(written: string, spec: string, unset: readonly string[], composeSays: string): string {
  const names = unset.join(' and ');
  const them = unset.length === 1 ? 'it' : 'them';
  return `port entry ${JSON.stringify(written)} is ${JSON.stringify(spec)} after interpolation because ${names} ${unset.length === 1 ? 'is' : 'are'} not set (Compose replaces ${them} with an empty string), so Compose refuses it (${composeSays}); set ${them} in the environment or in .env, or write a default such as \${${unset[0]}:-8080}`;
}

function fixHint(kind: ProblemKind, message: string): string {
  if (kind === 'host-ip-not-ip') return '; use an IP address such as 127.0.0.1 (hostnames are not accepted)';
  if (message.startsWith('invalid ranges')) return '; host and container ranges must have the same length';
  if (message.startsWith('invalid proto')) return '; use tcp, udp or sctp';
  if (message.startsWith('no port specified')) return '; give at least a container port';
  if (/invalid (host|container)Port|invalid port specification/.test(message)) return '; ports are numbers from 0 to 65535, ranges are written low-high';
  return '';
}
