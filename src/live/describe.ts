/** Vocabulary shared by the live rules: naming containers and Engine versions, pairing containers with their projects. */
import type { Project } from '../model/types';
import type { LiveContainer, LiveInput } from './types';

/** `container plc_web_1 (project plc, service web)` or `container pl-web`. */
export function containerText(c: LiveContainer): string {
  const o = c.compose;
  return o ? `container ${c.ref.name} (project ${o.project}, service ${o.service})` : `container ${c.ref.name}`;
}

/** The live containers whose project is among `projects` (in audit, every one; filters may have narrowed them). */
export function liveContainers(projects: readonly Project[], live: LiveInput | undefined): Array<{ container: LiveContainer; project: Project }> {
  if (!live) return [];
  const wanted = new Set(projects);
  const out: Array<{ container: LiveContainer; project: Project }> = [];
  live.containers.forEach((container, i) => {
    const project = live.projects[i];
    if (project && wanted.has(project)) out.push({ container, project });
  });
  return out;
}

/** "20.10.24+dfsg1" → [20, 10, 24]; "28.3.3-rc.1" → [28, 3, 3]; undefined when not a version. */
export function parseEngineVersion(text: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** a < b for [major, minor, patch]. */
export function versionBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] < b[i];
  return false;
}
