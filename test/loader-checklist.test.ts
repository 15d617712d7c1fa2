/**
 * The spec's §7 checklist ("what a naive implementation gets wrong"), one trap per
 * test, as far as the loader decides it: each loads a compose project and checks
 * the bindings, listeners and problems that come out.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { engineBindings, picksHostPort } from '../src/model/port-grammar';
import { formatListener, listenersConflict } from '../src/model/listeners';
import type { Binding, Project } from '../src/model/types';
import { load, loadCompose, only, tempProject } from './helpers';

const listeners = (b: Binding) => b.listeners.map(formatListener);
const bySpec = (p: Project) => Object.fromEntries(p.bindings.map((b) => [b.item.spec, listeners(b)]));
const web = (...items: string[]) => `services:\n  web:\n    ports:\n${items.map((i) => `      - ${i}\n`).join('')}`;

describe('§7 checklist', () => {
  it('1. no host IP is not 0.0.0.0: "" is 0.0.0.0 plus [::] (or the network default); 0.0.0.0 is IPv4 only and ignores the default; :: is IPv6 only', () => {
    const plain = only(loadCompose(web('"8080:80"', '"0.0.0.0:8081:81"', '"[::]:8082:82"')));
    expect(bySpec(plain)).toEqual({
      '8080:80': ['0.0.0.0:8080/tcp', '[::]:8080/tcp'],
      '0.0.0.0:8081:81': ['0.0.0.0:8081/tcp'],
      '[::]:8082:82': ['[::]:8082/tcp'],
    });
    const withDefault = only(
      loadCompose(`${web('"8080:80"', '"0.0.0.0:8081:81"')}networks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"\n`),
    );
    expect(bySpec(withDefault)).toEqual({ '8080:80': ['127.0.0.1:8080/tcp'], '0.0.0.0:8081:81': ['0.0.0.0:8081/tcp'] });
  });

  it('2. only the compose network\'s own host_binding_ipv4 protects a service (nothing else in the project does)', () => {
    const yaml = `${web('"8080:80"')}    networks: [app]\nnetworks:\n  default:\n    driver_opts:\n      com.docker.network.bridge.host_binding_ipv4: "127.0.0.1"\n  app:\n    driver: bridge\n`;
    expect(bySpec(only(loadCompose(yaml)))).toEqual({ '8080:80': ['0.0.0.0:8080/tcp', '[::]:8080/tcp'] });
  });

  it('3. unset variables widen exposure; ${X-default} keeps an empty value; "${PORT}:80" is ephemeral; only :? and ? fail', () => {
    const p = only(
      loadCompose(web('"${HOST_IP}:8080:80"', '"${EMPTY-127.0.0.1}:8081:81"', '"${PORT}:82"', '"${NEED:?}:83"', '"${NEED?}:84"'), { '.env': 'EMPTY=\n' }),
    );
    expect(bySpec(p)).toEqual({
      ':8080:80': ['0.0.0.0:8080/tcp', '[::]:8080/tcp'],
      ':8081:81': ['0.0.0.0:8081/tcp', '[::]:8081/tcp'],
      ':82': ['0.0.0.0:*/tcp', '[::]:*/tcp'],
    });
    expect(p.problems.map((q) => [q.kind, q.loc.line])).toEqual([
      ['interpolation', 7],
      ['interpolation', 8],
    ]);
  });

  it('4. a host range with one container port is ONE binding; equal ranges expand pairwise; unequal ranges are an error', () => {
    const p = only(loadCompose(web('"8000-8010:80"', '"9000-9001:90-91"', '"7000-7001:70-72"')));
    expect(p.bindings.map((b) => [b.hostPort, b.containerPort, b.count, b.hostPorts, listeners(b)])).toEqual([
      ['8000-8010', 80, 1, { start: 8000, end: 8010 }, ['0.0.0.0:8000-8010/tcp', '[::]:8000-8010/tcp']],
      ['9000-9001', 90, 2, { start: 9000, end: 9001 }, ['0.0.0.0:9000-9001/tcp', '[::]:9000-9001/tcp']],
    ]);
    // the host range is one the Engine picks ONE port from; the equal ranges are a run that holds both ports
    const [picked, run] = p.bindings;
    expect(picksHostPort(picked)).toBe(true);
    expect(picked.listeners.map((l) => l.picksOne)).toEqual([true, true]);
    expect(picksHostPort(run)).toBe(false);
    expect(run.listeners.map((l) => l.picksOne)).toEqual([undefined, undefined]);
    // the Engine receives the run pairwise: 9000→90, 9001→91
    expect(p.bindings.flatMap((b) => engineBindings(b)).map((b) => [b.hostPort, b.containerPort, b.hostPorts, b.count])).toEqual([
      ['8000-8010', 80, { start: 8000, end: 8010 }, 1],
      ['9000', 90, { start: 9000, end: 9000 }, 1],
      ['9001', 91, { start: 9001, end: 9001 }, 1],
    ]);
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('invalid ranges specified')]);
  });

  it('5. the IP field is everything before the last two colons: raw IPv6 is valid, [] and : mean unspecified, hostnames and zones are rejected', () => {
    const p = only(loadCompose(web('"::1:8080:80"', '"::::81"', '"[]:8082:82"', '":8083:83"', '"db:8084:84"', '"fe80::1%eth0:8085:85"')));
    expect(bySpec(p)).toEqual({
      '::1:8080:80': ['[::1]:8080/tcp'],
      '::::81': ['[::]:*/tcp'],
      '[]:8082:82': ['0.0.0.0:8082/tcp', '[::]:8082/tcp'],
      ':8083:83': ['0.0.0.0:8083/tcp', '[::]:8083/tcp'],
    });
    expect(p.problems.map((q) => [q.kind, q.loc.line])).toEqual([
      ['host-ip-not-ip', 8],
      ['host-ip-not-ip', 9],
    ]);
  });

  it('6. YAML typing: unquoted 22:22 is "22:22" (not 1342), unquoted 0120 is octal 80 (not 120), floats are an error', () => {
    const p = only(loadCompose(web('22:22', '0120', '80.0')));
    expect(p.bindings.map((b) => [b.hostPort, b.containerPort])).toEqual([
      ['22', 22],
      ['', 80],
    ]);
    expect(p.problems.map((q) => q.message)).toEqual([expect.stringContaining('invalid type float64 for port')]);
  });

  it('7. merging appends (override files and extends); only !reset / !override remove; null and [] change nothing; << replaces', () => {
    const dir = tempProject({
      'compose.yaml': 'x-b: &b\n  ports: ["1:1"]\nservices:\n  a:\n    ports: ["8080:80"]\n  b:\n    extends: a\n    ports: ["9090:90"]\n  c:\n    <<: *b\n    ports: ["2:2"]\n  d:\n    ports: ["3:3"]\n  e:\n    ports: ["4:4"]\n',
      'compose.override.yaml': 'services:\n  a:\n    ports: ["8081:80"]\n  d:\n    ports:\n  e:\n    ports: !reset []\n',
    });
    const p = only(load({ cwd: dir }));
    const by = (s: string) => p.bindings.filter((b) => b.service === s).map((b) => b.hostPort);
    expect(by('a')).toEqual(['8080', '8081']);
    expect(by('b')).toEqual(['8080', '9090']);
    expect(by('c')).toEqual(['2']);
    expect(by('d')).toEqual(['3']);
    expect(by('e')).toEqual([]);
  });

  it('8. de-dup quirks: "8080:80" + "0.0.0.0:8080:80" collapse (last wins, first position); int published does not collapse; mode is not in the key', () => {
    const p = only(
      loadCompose(
        'services:\n  a:\n    ports:\n      - "8080:80"\n      - "9090:90"\n      - "0.0.0.0:8080:80"\n  b:\n    ports:\n      - "8080:80"\n      - {target: 80, published: 8080}\n  c:\n    ports:\n      - {target: 80, published: "8080", mode: ingress}\n      - {target: 80, published: "8080", mode: host}\n',
      ),
    );
    const by = (s: string) => p.bindings.filter((b) => b.service === s);
    expect(by('a').map((b) => [b.item.spec, listeners(b)])).toEqual([
      ['0.0.0.0:8080:80', ['0.0.0.0:8080/tcp']],
      ['9090:90', ['0.0.0.0:9090/tcp', '[::]:9090/tcp']],
    ]);
    const twins = by('b');
    expect(twins.map((b) => [b.hostIp, b.hostPort, b.containerPort, b.protocol])).toEqual([
      ['', '8080', 80, 'tcp'],
      ['', '8080', 80, 'tcp'],
    ]);
    // Two identical requests: the Engine fails with "port is already allocated".
    expect(listenersConflict(twins[0].listeners[0], twins[1].listeners[0])).toBe(true);
    expect(by('c').map((b) => b.item.loc.line)).toEqual([14]);
  });

  it('9. long syntax host_ip needs a bare IP and rejects ""; the short syntax strips brackets and treats empty as unspecified', () => {
    const p = only(
      loadCompose(
        'services:\n  web:\n    ports:\n      - "[::1]:8080:80"\n      - ":8081:81"\n      - {target: 82, published: "8082", host_ip: "[::1]"}\n      - {target: 83, published: "8083", host_ip: ""}\n      - {target: 84, published: "8084", host_ip: "::1"}\n',
      ),
    );
    expect(p.bindings.map((b) => [b.hostIp, listeners(b)])).toEqual([
      ['::1', ['[::1]:8080/tcp']],
      ['', ['0.0.0.0:8081/tcp', '[::]:8081/tcp']],
      ['::1', ['[::1]:8084/tcp']],
    ]);
    expect(p.problems.map((q) => [q.kind, q.loc.line, q.loc.column])).toEqual([
      ['host-ip-not-ip', 6, 50],
      ['host-ip-not-ip', 7, 50],
    ]);
  });

  it('10. an unspecified binding also occupies [::]:P, so it conflicts with 127.0.0.1:P and ::1:P; 0.0.0.0:P and [::]:P do not conflict; tcp and udp never', () => {
    const p = only(loadCompose('services:\n  a:\n    ports: ["8080:80", "0.0.0.0:9090:90", "7070:70/udp"]\n  b:\n    ports: ["127.0.0.1:8080:80", "[::]:9090:90", "7070:70/tcp"]\n  c:\n    ports: ["[::1]:8080:80"]\n'));
    const conflicts = (x: Binding, y: Binding) => x.listeners.some((l) => y.listeners.some((m) => listenersConflict(l, m)));
    const [a8080, a9090, a7070, b8080, b9090, b7070, c8080] = p.bindings;
    expect(conflicts(a8080, b8080)).toBe(true);
    expect(conflicts(a8080, c8080)).toBe(true);
    expect(conflicts(b8080, c8080)).toBe(false);
    expect(conflicts(a9090, b9090)).toBe(false);
    expect(conflicts(a7070, b7070)).toBe(false);
  });

  it('11. network_mode host / none publish nothing, service: is a hard error, disabled profiles publish nothing', () => {
    const p = only(
      loadCompose(
        'services:\n  h:\n    network_mode: host\n    ports: ["1:1"]\n  n:\n    network_mode: none\n    ports: ["2:2"]\n  s:\n    network_mode: service:h\n    ports: ["3:3"]\n  off:\n    profiles: [debug]\n    ports: ["4:4"]\n  on:\n    ports: ["5:5"]\n',
      ),
    );
    expect(p.bindings.map((b) => b.service)).toEqual(['on']);
    expect(p.problems.map((q) => [q.kind, q.service])).toEqual([['ports-with-shared-netns', 's']]);
  });

  it('12. the binding is the request (HostConfig.PortBindings): "" host IP, "0" and ranges kept as written; project files are absolute, without included or extended files', () => {
    const dir = tempProject({
      'compose.yaml': 'include: [inc/compose.yaml]\nservices:\n  web:\n    extends: {file: base.yaml, service: b}\n    ports: ["0:80", "8000-8010:81", "82"]\n',
      'base.yaml': 'services:\n  b:\n    ports: ["9:9"]\n',
      'inc/compose.yaml': 'services:\n  i:\n    ports: ["7:7"]\n',
    });
    const p = only(load({ cwd: dir }));
    const web = p.bindings.filter((b) => b.service === 'web');
    expect(web.map((b) => [b.hostIp, b.hostPort, b.containerPort]).sort()).toEqual([
      ['', '', 82],
      ['', '0', 80],
      ['', '8000-8010', 81],
      ['', '9', 9],
    ]);
    expect(p.files).toEqual([join(dir, 'compose.yaml')]);
    expect(p.bindings.map((b) => relative(dir, b.item.loc.file)).sort()).toEqual(['base.yaml', 'compose.yaml', 'compose.yaml', 'compose.yaml', 'inc/compose.yaml']);
  });

  it('13. inputs only the raw API accepts never come out of a compose file: "localhost" as host IP is a compose error, not "unspecified"', () => {
    const p = only(loadCompose(web('"localhost:8080:80"', '{target: 80, published: "8081", host_ip: localhost}')));
    expect(p.bindings).toEqual([]);
    expect(p.problems.map((q) => q.kind)).toEqual(['host-ip-not-ip', 'host-ip-not-ip']);
  });
});
