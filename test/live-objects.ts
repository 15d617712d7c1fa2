/** Live containers and engines from hand-written Engine API objects (shapes as Engine 20.10 returns them), for tests. */
import { applyInspect, containerFromList, needsInspect } from '../src/live/collect';
import { buildLiveProjects } from '../src/live/model';
import type { EngineFacts, HostFacts, LiveContainer, LiveInput } from '../src/live/types';

let n = 0;
/** A container as GET /containers/json and, when portlint would inspect it, GET /containers/{id}/json give it. */
export function container(o: {
  name: string;
  state?: string;
  labels?: Record<string, string>;
  mode?: string;
  bindings?: Record<string, Array<{ HostIp: string; HostPort: string }>>;
  effective?: Record<string, Array<{ HostIp: string; HostPort: string }> | null>;
  publishAll?: boolean;
}): LiveContainer {
  const id = `${String(++n).padStart(4, '0')}${'a'.repeat(60)}`;
  const state = o.state ?? 'running';
  const ports: unknown[] = [];
  for (const [key, list] of Object.entries(o.effective ?? {})) {
    const [p, t] = key.split('/');
    if (!list) ports.push({ PrivatePort: Number(p), Type: t });
    else for (const b of list) ports.push({ IP: b.HostIp, PrivatePort: Number(p), PublicPort: Number(b.HostPort), Type: t });
  }
  const c = containerFromList({
    Id: id,
    Names: [`/${o.name}`],
    State: state,
    Labels: o.labels ?? {},
    Ports: state === 'running' ? ports : [],
    HostConfig: { NetworkMode: o.mode ?? 'default' },
    NetworkSettings: { Networks: { [o.mode && o.mode !== 'default' ? o.mode : 'bridge']: {} } },
  });
  if (needsInspect(c)) {
    applyInspect(c, {
      Id: id,
      State: { Status: state },
      HostConfig: { NetworkMode: o.mode ?? 'default', PortBindings: o.bindings ?? {}, PublishAllPorts: o.publishAll ?? false },
      NetworkSettings: { Ports: state === 'running' ? (o.effective ?? {}) : {} },
    });
  }
  return c;
}

export function engine(version = '20.10.24+dfsg1', extra: Partial<EngineFacts> = {}): EngineFacts {
  return { version, apiVersion: '1.41', os: 'linux', rootless: false, podman: false, local: true, endpoint: 'unix:///var/run/docker.sock', name: 'h', id: 'ID', rootDir: '/var/lib/docker', ...extra };
}

/** One engine's live input; `name` is how the run names the engine (fleet tests read several). */
export function liveOf(containers: LiveContainer[], e = engine(), host?: HostFacts, name = 'default'): LiveInput {
  const ref = { name, endpoint: e.endpoint };
  return { ref, engine: e, ...(host && { host }), containers, projects: buildLiveProjects(containers, { cwd: '/', engine: ref }) };
}

