/**
 * Loads one compose project the way Compose v2 does (compose-go loader):
 * environment, then each file in order (interpolate → include → extends →
 * merge), then profiles and network modes, then the Engine bindings.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { displayPath } from '../report/paths';
import type { Binding, ComposeFeatureUse, LoadError, NetworkModel, Problem, Project, ServiceModel, SourceLocation, VariableOrigin } from '../model/types';
import { parseIp } from '../model/ip';
import { containerPorts, picksHostPort, runSlice, type RawBinding } from '../model/port-grammar';
import { listenersFor } from '../model/listeners';
import { readComposeDocument, type FileDraft, type NetworkDraft, type PortDraft, type ServiceDraft } from './compose-file';
import { readEnvFiles } from './dotenv';
import { decodeText, InvalidText, isFile, readFailure, readTextFile } from '../util/fs';
import type { Lookup } from './interpolate';
import { mergeNetworks, mergeService, mergeServices } from './merge';
import { readYaml, type YamlReadResult } from './yaml-tree';

export interface ProjectSpec {
  /** Absolute paths, in load order. */
  files: string[];
  /** Absolute project directory. */
  projectDir: string;
  /** -p / --project-name. */
  name?: string;
  /** --env-file values (absolute); when absent, <projectDir>/.env is read. */
  envFiles?: string[];
  /** --profile values; when empty, COMPOSE_PROFILES applies. */
  profiles?: string[];
  /** The project's environment, when file selection already built it (to look up COMPOSE_FILE), so .env is read once. */
  environment?: Environment;
  /** Read as `docker stack deploy` reads it (the docker CLI's loader, §5 of the port semantics). */
  swarm?: boolean;
  /** The host the project runs on (Project.host). */
  host?: string;
}

/** The interpolation environment: names to values, and where the values that env files gave came from. */
export class Environment extends Map<string, string> {
  readonly origins = new Map<string, VariableOrigin>();
}

/** References Compose resolves with its remote loaders (OCI artifacts, git repositories). */
const REMOTE_RESOURCE = /^(oci|https?|ssh|git):\/\/|^git@/;

/** Parsed files shared by every project of one run: each file is read and parsed once. */
export class FileCache {
  private readonly files = new Map<string, YamlReadResult | LoadError>();
  /** With `revalidate`, the signature each file on disk had when it was read. */
  private readonly signatures = new Map<string, string>();

  /**
   * `revalidate`: a cache that lives across runs (the language server) asks the file system
   * whether a file on disk changed since it was read, and reads it again only then.
   */
  constructor(private readonly options: { revalidate?: boolean } = {}) {}

  /** How many distinct files were read. */
  get size(): number {
    return this.files.size;
  }

  read(path: string): YamlReadResult | LoadError {
    let cached = this.files.get(path);
    const injected = this.injected.get(path);
    const signature = this.options.revalidate && injected === undefined ? fileSignature(path) : undefined;
    if (cached && signature !== undefined && this.signatures.get(path) !== signature) cached = undefined;
    if (!cached) {
      if (signature !== undefined) this.signatures.set(path, signature);
      cached = readAndParse(path, injected);
      this.files.set(path, cached);
    }
    return cached;
  }

  private readonly injected = new Map<string, string | Buffer>();

  /** Reads `content` as the content of `path` instead of the file on disk (`--stdin` gives bytes, decoded as a file's are). */
  inject(path: string, content: string | Buffer): void {
    const before = this.injected.get(path);
    if (typeof content === 'string' && before === content) return;
    this.injected.set(path, content);
    this.files.delete(path);
  }

  /** The text that stands for `path`, when one was injected. */
  injectedText(path: string): string | undefined {
    const content = this.injected.get(path);
    return content === undefined ? undefined : typeof content === 'string' ? content : decodeText(content);
  }

  /** Reads `path` from disk again from now on (an editor closed its buffer). */
  release(path: string): void {
    if (this.injected.delete(path)) this.files.delete(path);
  }

  /** The text of every file that was read and parsed, by absolute path (for suppression comments). */
  texts(): Map<string, string> {
    const out = new Map<string, string>();
    for (const [path, result] of this.files) if (!isLoadError(result)) out.set(path, result.file.text);
    return out;
  }
}

/** What changes when a file is written, renamed over or removed. */
function fileSignature(path: string): string {
  try {
    const s = statSync(path);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'missing';
  }
}

function readAndParse(path: string, injected?: string | Buffer): YamlReadResult | LoadError {
  let text: string;
  try {
    text = injected === undefined ? readTextFile(path) : typeof injected === 'string' ? injected : decodeText(injected);
  } catch (e) {
    if (e instanceof InvalidText) return { file: path, line: e.line, column: e.column, message: `not valid YAML: ${e.message}` };
    return { file: path, line: 0, column: 0, message: `cannot read ${path}: ${readFailure(e)}` };
  }
  let result: YamlReadResult;
  try {
    result = readYaml(path, text);
  } catch (e) {
    // Nesting thousands of levels deep runs the readers out of stack; no compose file is written so.
    if (!(e instanceof RangeError)) throw e;
    return { file: path, line: deepestLine(text), column: 1, message: TOO_DEEP };
  }
  if (result.errors.length) {
    const e = result.errors[0];
    // The library catches its own stack overflow and reports it where it gave up.
    if (e.message.includes('call stack')) return { file: path, line: e.line, column: e.column, message: TOO_DEEP };
    const more = result.errors.length > 1 ? ` (and ${result.errors.length - 1} more YAML error${result.errors.length > 2 ? 's' : ''})` : '';
    return { file: path, line: e.line, column: e.column, message: `not valid YAML: ${e.message}${more}` };
  }
  if (!result.documents.length) return { file: path, line: 1, column: 1, message: 'empty compose file: it defines no services' };
  return result;
}

const TOO_DEEP = 'nested deeper than portlint reads: a compose file needs a few levels, not thousands';

/** The line that is indented furthest (counting "- " entries), or opens the most brackets: where a too-deep nesting shows. */
function deepestLine(text: string): number {
  let best = 1;
  let bestDepth = -1;
  let depth = 0;
  text.split('\n').forEach((line, i) => {
    const indent = /^[ -]*/.exec(line)![0].length;
    for (const c of line) depth += c === '[' || c === '{' ? 1 : c === ']' || c === '}' ? -1 : 0;
    const d = Math.max(indent, depth);
    if (d > bestDepth) {
      bestDepth = d;
      best = i + 1;
    }
  });
  return best;
}

export function isLoadError(x: unknown): x is LoadError {
  return typeof x === 'object' && x !== null && 'message' in x && !('documents' in x);
}

const truthy = (v: string | undefined) => v !== undefined && /^(1|true|yes|on)$/i.test(v);

/** Process environment first, then the env files; later env files override earlier ones. */
export function projectEnvironment(
  processEnv: Record<string, string | undefined>,
  projectDir: string,
  envFiles: string[] | undefined,
  errors: LoadError[],
): Environment {
  const env = new Environment();
  for (const [k, v] of Object.entries(processEnv)) if (v !== undefined) env.set(k, v);
  const files = envFiles ?? (truthy(env.get('COMPOSE_DISABLE_ENV_FILE')) ? [] : [resolve(projectDir, '.env')].filter(isFile));
  if (files.length) {
    const fromFiles = readEnvFiles(files, (name) => env.get(name));
    for (const e of fromFiles.errors) errors.push({ file: resolve(e.file), line: e.line, column: e.line ? 1 : 0, message: e.message });
    for (const [k, v] of fromFiles.vars) {
      if (env.has(k)) continue;
      env.set(k, v);
      env.origins.set(k, fromFiles.origins.get(k)!);
    }
  }
  return env;
}

/** Compose's project name normalisation: lower case, only [a-z0-9_-], starting with a letter or digit. */
export function normalizeProjectName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_-]/g, '').replace(/^[_-]+/, '');
}

interface LoadedFile {
  services: Map<string, ServiceDraft>;
  networks: Map<string, NetworkDraft>;
  names: FileDraft['name'][];
  /** `services: !reset`: what earlier files defined is dropped. */
  resetServices?: boolean;
}

export class ProjectLoader {
  private readonly problems: Problem[] = [];
  private readonly composeFeatures: ComposeFeatureUse[] = [];
  private readonly errors: LoadError[] = [];
  private readonly ranks = new Map<string, number>();
  /** Loading as `docker stack deploy` does (ProjectSpec.swarm). */
  private swarm = false;

  /** `pathBase`: where messages name files from (see loadSelection). */
  constructor(
    private readonly cache: FileCache,
    private readonly pathBase?: string,
  ) {}

  /** A file as the loader's messages name it: relative to the run's working directory, as the report shows files. */
  private shown(file: string): string {
    return this.pathBase === undefined ? file : displayPath(file, this.pathBase);
  }

  load(spec: ProjectSpec, processEnv: Record<string, string | undefined>): { project: Project; errors: LoadError[] } {
    this.swarm = !!spec.swarm;
    // docker stack deploy interpolates from its own environment only: no .env, no --env-file.
    const env = spec.environment ?? projectEnvironment(processEnv, spec.projectDir, spec.swarm ? [] : spec.envFiles, this.errors);
    const lookup: Lookup = (name) => env.get(name);
    const services = new Map<string, ServiceDraft>();
    const networks = new Map<string, NetworkDraft>();
    const portsByFile = new Map<string, Array<{ file: string; items: PortDraft[] }>>();
    let fileName: string | undefined;
    for (const file of spec.files) {
      const loaded = this.loadFile(file, lookup, spec.projectDir, env, []);
      if (!loaded) continue;
      for (const service of loaded.services.values()) {
        if (service.ports?.value.length) {
          const list = portsByFile.get(service.name) ?? [];
          list.push({ file, items: service.ports.value });
          portsByFile.set(service.name, list);
        }
        // Before 2.24.4 compose knows no !override: the earlier files' ports stay (an exact difference only when there are some).
        const overridden = service.tag === '!override' || service.ports?.tag === '!override';
        if (overridden && !this.swarm && portsByFile.get(service.name)?.some((g) => g.file !== file)) {
          this.composeFeatures.push({ feature: 'override-tag', service: service.name, loc: service.ports?.tag === '!override' ? service.ports.loc : service.keyLoc });
        }
        if (service.tag === '!reset' || service.ports?.tag) portsByFile.set(service.name, service.ports?.tag !== '!reset' && service.ports?.value.length ? [{ file, items: service.ports.value }] : []);
      }
      if (loaded.resetServices) services.clear();
      mergeServices(services, loaded.services.values(), this.swarm);
      mergeNetworks(networks, loaded.networks.values());
      for (const n of loaded.names) if (n) fileName = n.value;
    }
    // A stack is named on the command line (docker stack deploy -c file NAME); the folder stands in for it.
    const name = spec.swarm ? (spec.name ?? basename(spec.projectDir)) : normalizeProjectName(spec.name ?? env.get('COMPOSE_PROJECT_NAME') ?? fileName ?? basename(spec.projectDir));
    const profileSource = spec.profiles?.length ? spec.profiles : (env.get('COMPOSE_PROFILES') ?? '').split(',');
    const activeProfiles = spec.swarm ? [] : profileSource.map((p) => p.trim()).filter(Boolean);
    const project: Project = {
      name,
      workingDir: spec.projectDir,
      files: spec.files,
      services: [],
      networks: [...networks.values()].map(toNetworkModel),
      bindings: [],
      problems: this.problems,
      ...(!spec.swarm && { composeFeatures: this.composeFeatures }),
      activeProfiles,
      ...(env.origins.size && { variableOrigins: env.origins }),
      ...(spec.swarm && { stack: { name } }),
      ...(spec.host !== undefined && { host: spec.host }),
    };
    for (const merged of services.values()) {
      if (merged.tag === '!reset') continue;
      // Keys tagged `!reset` that no earlier file held are dropped all the same (Compose only: the CLI has no tags).
      const draft = this.swarm ? merged : mergeService({ name: merged.name, keyLoc: merged.keyLoc }, merged);
      const model = this.serviceModel(draft, activeProfiles, portsByFile.get(draft.name) ?? []);
      project.services.push(model.service);
      for (const b of this.bindings(draft, model.service, model.ports, networks)) project.bindings.push(b);
    }
    // Load order as consecutive integers: the fractional keys of de-duplication (position, + 1/1000
    // for the second binding of an item, + 1e-9 per port of a cut run) become one total order.
    // The docker CLI's order is the order the bindings were built in (merged ports sorted by published port).
    (this.swarm ? project.bindings : project.bindings.sort((a, b) => a.order - b.order)).forEach((b, i) => (b.order = i));
    return { project, errors: this.errors };
  }

  private rank(file: string): number {
    let r = this.ranks.get(file);
    if (r === undefined) {
      r = this.ranks.size;
      this.ranks.set(file, r);
    }
    return r;
  }

  /** One file: every document, with its includes and extends resolved, merged in document order. */
  private loadFile(path: string, lookup: Lookup, workingDir: string, env: Environment, stack: string[]): LoadedFile | undefined {
    const parsed = this.cache.read(path);
    if (isLoadError(parsed)) {
      if (!this.errors.some((e) => e.file === parsed.file && e.message === parsed.message)) this.errors.push(parsed);
      return undefined;
    }
    const rank = this.rank(path);
    const out: LoadedFile = { services: new Map(), networks: new Map(), names: [] };
    // The docker CLI decodes the first YAML document only.
    for (const root of this.swarm ? parsed.documents.slice(0, 1) : parsed.documents) {
      const draft = readComposeDocument(root, lookup, rank, this.swarm);
      this.problems.push(...draft.problems);
      this.composeFeatures.push(...draft.features);
      out.names.push(draft.name);
      const fileServices = new Map<string, ServiceDraft>();
      for (const include of draft.includes) {
        const included = this.loadInclude(include, workingDir, env, [...stack, path]);
        if (included) {
          mergeServices(fileServices, included.services.values());
          mergeNetworks(out.networks, included.networks.values());
        }
      }
      const own = new Map(draft.services.map((s) => [s.name, s]));
      const resolved = this.swarm ? own : this.resolveExtends(own, path, lookup, stack);
      mergeServices(fileServices, resolved.values(), this.swarm);
      if (draft.servicesTag === '!reset' && !this.swarm) {
        out.services.clear();
        out.resetServices = true;
      }
      mergeServices(out.services, fileServices.values(), this.swarm);
      mergeNetworks(out.networks, draft.networks);
    }
    return out;
  }

  private loadInclude(include: FileDraft['includes'][number], workingDir: string, parentEnv: Environment, stack: string[]): LoadedFile | undefined {
    const paths = include.paths.filter((p) => !REMOTE_RESOURCE.test(p)).map((p) => resolve(workingDir, p));
    if (!paths.length) return undefined;
    const cycle = paths.find((p) => stack.includes(p));
    if (cycle) {
      const chain = [...stack.slice(stack.indexOf(cycle)), cycle].map((f) => this.shown(f));
      const message = chain.length === 2 ? `${chain[0]} includes itself` : chain.join(' -> ');
      this.problems.push({ kind: 'invalid-compose', loc: include.loc, message: `include cycle: ${message}` });
      return undefined;
    }
    const missing = paths.find((p) => !existsSync(p));
    if (missing) {
      this.problems.push({ kind: 'invalid-compose', loc: include.loc, message: `included file ${this.shown(missing)} does not exist` });
      return undefined;
    }
    const projectDir = include.projectDirectory ? resolve(workingDir, include.projectDirectory) : dirname(paths[0]);
    // The parent's values win over the included project's own .env.
    const envFiles = include.envFiles?.map((f) => resolve(workingDir, f));
    const own = projectEnvironment({}, projectDir, envFiles, this.errors);
    const env = new Environment([...own, ...parentEnv]);
    for (const [k, origin] of own.origins) if (!parentEnv.has(k)) env.origins.set(k, origin);
    for (const [k, origin] of parentEnv.origins) env.origins.set(k, origin);
    const lookup: Lookup = (name) => env.get(name);
    const out: LoadedFile = { services: new Map(), networks: new Map(), names: [] };
    for (const p of paths) {
      const loaded = this.loadFile(p, lookup, projectDir, env, stack);
      if (!loaded) continue;
      mergeServices(out.services, loaded.services.values());
      mergeNetworks(out.networks, loaded.networks.values());
    }
    return out;
  }

  /** Resolves `extends` of the services of one document: the base's ports first, then the local ones. */
  private resolveExtends(
    services: Map<string, ServiceDraft>,
    path: string,
    lookup: Lookup,
    stack: string[],
  ): Map<string, ServiceDraft> {
    const done = new Map<string, ServiceDraft>();
    // Compose refuses a cycle outright; its members keep their own keys, so none inherits the others' ports.
    const inCycle = new Set<string>();
    const resolveOne = (name: string, chain: string[]): ServiceDraft | undefined => {
      const cached = done.get(name);
      if (cached) return cached;
      const service = services.get(name);
      if (!service) return undefined;
      const ref = service.extends;
      if (!ref) {
        done.set(name, service);
        return service;
      }
      let base: ServiceDraft | undefined;
      const key = `${path}#${name}`;
      let cycle = chain.includes(key);
      if (cycle) {
        const members = [...chain.slice(chain.indexOf(key)), key].map((k) => k.split('#')[1]);
        this.problems.push({ kind: 'invalid-compose', service: name, loc: ref.loc, message: `circular reference in extends: ${members.join(' -> ')}` });
        for (const member of members) inCycle.add(member);
      } else if (ref.file && REMOTE_RESOURCE.test(ref.file)) {
        // Compose fetches OCI artifacts and git repositories; portlint reads local files only (documented limitation).
        done.set(name, service);
        return service;
      } else if (ref.file) {
        const other = resolve(dirname(path), ref.file);
        const otherParsed = this.cache.read(other);
        if (isLoadError(otherParsed)) {
          this.problems.push({ kind: 'invalid-compose', service: name, loc: ref.loc, message: `extends: cannot load ${this.shown(other)}: ${otherParsed.message}` });
          done.set(name, service);
          return service;
        } else if (stack.includes(other)) {
          cycle = true;
          this.problems.push({ kind: 'invalid-compose', service: name, loc: ref.loc, message: `circular reference in extends through ${this.shown(other)}` });
        } else {
          const otherServices = new Map<string, ServiceDraft>();
          for (const root of otherParsed.documents) {
            const draft = readComposeDocument(root, lookup, this.rank(other));
            this.problems.push(...draft.problems.filter((p) => p.service === ref.service));
            this.composeFeatures.push(...draft.features.filter((f) => f.service === ref.service));
            for (const s of draft.services) otherServices.set(s.name, s);
          }
          base = this.resolveExtends(otherServices, other, lookup, [...stack, path]).get(ref.service);
        }
      } else {
        base = resolveOne(ref.service, [...chain, key]);
        if (inCycle.has(name)) cycle = true;
      }
      if (!base && !cycle) {
        this.problems.push({ kind: 'invalid-compose', service: name, loc: ref.loc, message: `service "${name}" extends "${ref.service}", which is not defined${ref.file ? ` in ${this.shown(resolve(dirname(path), ref.file))}` : ''}` });
      }
      const merged = base && !cycle ? mergeService({ ...base, tag: undefined }, { ...service, extends: undefined }) : service;
      merged.keyLoc = service.keyLoc;
      done.set(name, merged);
      return merged;
    };
    for (const name of services.keys()) resolveOne(name, []);
    return done;
  }

  private serviceModel(draft: ServiceDraft, activeProfiles: string[], portsByFile: Array<{ file: string; items: PortDraft[] }>) {
    const profiles = draft.profiles?.value ?? [];
    const enabled = profiles.length === 0 || activeProfiles.includes('*') || profiles.some((p) => activeProfiles.includes(p));
    // The docker CLI de-duplicates nothing (its schema refuses repeated entries instead).
    const ports = this.swarm ? asSent(draft.ports?.value ?? []) : dedupePorts(draft.ports?.value ?? []);
    const replicas = draft.scale ?? draft.replicas;
    const deploy = this.swarm
      ? {
          mode: draft.deploy?.value.mode ?? 'replicated',
          ...(!/^global/.test(draft.deploy?.value.mode ?? '') && { replicas: draft.replicas?.value ?? 1 }),
          constraints: draft.deploy?.value.constraints ?? [],
          ...(draft.deploy && { loc: draft.deploy.loc }),
        }
      : undefined;
    const service: ServiceModel = {
      name: draft.name,
      loc: draft.keyLoc,
      enabled,
      profiles,
      ...(draft.image && { image: { value: draft.image.value, loc: draft.image.loc } }),
      networkMode: draft.networkMode && { value: draft.networkMode.value, loc: draft.networkMode.loc },
      replicas: replicas && { value: replicas.value, loc: replicas.loc },
      networks: draft.networks?.value.map((n) => n.name) ?? ['default'],
      ports: [...new Set(ports.map((p) => p.draft.item))],
      portsLoc: draft.ports?.loc,
      portsByFile: portsByFile.map((g) => ({ file: g.file, items: g.items.map((d) => d.item) })),
      ...(deploy && { deploy }),
    };
    return { service, ports };
  }

  private bindings(draft: ServiceDraft, service: ServiceModel, ports: DedupedBinding[], networks: Map<string, NetworkDraft>): Binding[] {
    if (this.swarm) {
      // Swarm publishes a service's ports whatever its replica count, on every address.
      return ports.map(({ draft: d, index, order }) => {
        const raw = d.bindings[index];
        return { service: service.name, ...raw, listeners: listenersFor(raw), item: d.item, order, swarm: { mode: d.swarmMode ?? 'ingress' } };
      });
    }
    // Disabled profiles and `scale: 0` start no container, so nothing is published.
    if (!service.enabled || !ports.length || service.replicas?.value === 0) return [];
    const mode = service.networkMode?.value;
    if (mode === 'host' || mode === 'none') return [];
    if (mode && /^(service|container):/.test(mode)) {
      this.problems.push({
        kind: 'ports-with-shared-netns',
        service: service.name,
        loc: service.portsLoc ?? service.networkMode!.loc,
        message: `service "${service.name}" publishes ports but uses network_mode "${mode}": the Engine refuses to start it (conflicting options: port publishing and the container type network mode); publish the ports on the service that owns the network namespace`,
      });
      return [];
    }
    const defaultIp = mode ? undefined : gatewayDefaultIp(draft, networks);
    return ports.map(({ draft: d, index, offset, count, order }) => {
      const raw = runSlice(d.bindings[index], offset, count);
      return {
        service: service.name,
        hostIp: raw.hostIp,
        hostPort: raw.hostPort,
        containerPort: raw.containerPort,
        protocol: raw.protocol,
        hostPorts: raw.hostPorts,
        count: raw.count,
        listeners: listenersFor(raw, defaultIp),
        item: d.item,
        order,
      };
    });
  }
}

interface DedupedBinding {
  draft: PortDraft;
  index: number;
  /** The part of the run `draft.bindings[index]` that the binding keeps (all of it, unless a later entry replaced some of its ports). */
  offset: number;
  count: number;
  /** Load order of the position the binding holds (the first entry's, when a later one replaced it). */
  order: number;
}

/** Every binding of the entries, in order, as the docker CLI sends them. */
function asSent(drafts: PortDraft[]): DedupedBinding[] {
  return drafts.flatMap((draft) => draft.bindings.map((b, index) => ({ draft, index, offset: 0, count: b.count, order: draft.position + index / 1000 })));
}

/** compose-go EnforceUnicity: the last entry with a key replaces the first one, at the first one's position. */
function enforceUnicity<T extends { order: number }>(entries: T[], key: (entry: T) => string): T[] {
  const out: T[] = [];
  const seen = new Map<string, number>();
  for (const entry of entries) {
    const k = key(entry);
    const at = seen.get(k);
    if (at === undefined) {
      seen.set(k, out.length);
      out.push(entry);
    } else {
      out[at] = { ...entry, order: out[at].order };
    }
  }
  return out;
}

/**
 * De-duplication as compose-go runs it: on the raw entries of a file (a short-syntax
 * string or int by its text, a mapping by its key), then on the canonical mappings
 * every short-syntax entry becomes, one per port.
 *
 * The second pass works on runs: a run is cut into ports only when another entry can
 * share the key of one of its ports (same host IP, protocol and host-to-container offset,
 * container ports that meet), and the ports that stay together are joined again. So a
 * wide range costs one entry, however many ports it spans.
 */
function dedupePorts(drafts: PortDraft[]): DedupedBinding[] {
  const raw = enforceUnicity(
    drafts.map((draft) => ({ draft, order: draft.position })),
    // A short-syntax entry repeats by its text within one file; a mapping by its key across files.
    ({ draft }) => (draft.item.syntax === 'long' ? `map\0${draft.rawKey}` : `${draft.item.loc.file}\0${draft.rawKey}`),
  );
  const canonical = raw.flatMap(({ draft, order }) =>
    draft.bindings.map((b, index) => ({ draft, index, offset: 0, count: b.count, order: order + index / 1000 })),
  );
  const cut = runsToCut(canonical.map((e) => e.draft.bindings[e.index]));
  const entries = cut.size === 0 ? canonical : canonical.flatMap((e, k) => (cut.has(k) ? portsOf(e) : [e]));
  const kept = enforceUnicity(entries, ({ draft, index, offset }) => {
    if (draft.item.syntax === 'long') return draft.rawKey;
    const b = draft.bindings[index];
    const hostPort = b.count === 1 || b.hostPorts === undefined ? b.hostPort : String(b.hostPorts.start + offset);
    return `${b.hostIp || '0.0.0.0'}:${hostPort}:${b.containerPort + offset}/${b.protocol}`;
  });
  return cut.size === 0 ? kept : joinRuns(kept);
}

/** Indices of the runs (count > 1) whose ports another entry may share a de-duplication key with. */
function runsToCut(bindings: RawBinding[]): Set<number> {
  const cut = new Set<number>();
  if (!bindings.some((b) => b.count > 1)) return cut;
  // Entries that can share a key: same IP, protocol and kind of host port, and for fixed host ports the same offset.
  const classes = new Map<string, number[]>();
  bindings.forEach((b, k) => {
    const host = b.hostPorts === undefined || picksHostPort(b) ? `=${b.hostPort}` : `+${b.hostPorts.start - b.containerPort}`;
    const key = `${b.hostIp || '0.0.0.0'}/${b.protocol}/${host}`;
    const list = classes.get(key);
    if (list === undefined) classes.set(key, [k]);
    else list.push(k);
  });
  for (const list of classes.values()) {
    if (list.length < 2) continue;
    const sorted = [...list].sort((x, y) => bindings[x].containerPort - bindings[y].containerPort);
    let reach = -1;
    let reacher = -1;
    for (const k of sorted) {
      const b = bindings[k];
      if (b.containerPort <= reach) {
        if (b.count > 1) cut.add(k);
        if (bindings[reacher].count > 1) cut.add(reacher);
      }
      const end = containerPorts(b).end;
      if (end > reach) {
        reach = end;
        reacher = k;
      }
    }
  }
  return cut;
}

/** A run entry as one entry per port; orders keep the ports in sequence before the next entry. */
function portsOf(e: DedupedBinding): DedupedBinding[] {
  return Array.from({ length: e.count }, (_, i) => ({ ...e, offset: e.offset + i, count: 1, order: e.order + i / 1e9 }));
}

/** Joins neighbouring entries that are consecutive ports of one run again. */
function joinRuns(entries: DedupedBinding[]): DedupedBinding[] {
  const out: DedupedBinding[] = [];
  for (const e of entries) {
    const last = out[out.length - 1];
    if (last !== undefined && last.draft === e.draft && last.index === e.index && last.offset + last.count === e.offset) {
      out[out.length - 1] = { ...last, count: last.count + e.count };
    } else out.push(e);
  }
  return out;
}

/**
 * The network whose host_binding_ipv4 sets the default address: the service's
 * gateway network, i.e. the highest priority, then the first by name (as Compose
 * orders them when it connects the container).
 */
function gatewayDefaultIp(draft: ServiceDraft, networks: Map<string, NetworkDraft>): string | undefined {
  const refs = draft.networks?.value.length ? [...draft.networks.value] : [{ name: 'default', priority: 0 }];
  refs.sort((a, b) => b.priority - a.priority || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const ip = networks.get(refs[0].name)?.hostBindingIpv4?.value;
  return ip && parseIp(ip) ? ip : undefined;
}

function toNetworkModel(n: NetworkDraft): NetworkModel {
  return { name: n.name, hostBindingIpv4: n.hostBindingIpv4?.value, loc: n.hostBindingIpv4?.loc as SourceLocation | undefined };
}

export function absolutePath(p: string, base: string): string {
  return isAbsolute(p) ? p : resolve(base, p);
}
