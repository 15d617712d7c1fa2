/** The commented starter configuration `portlint init` writes. */
import type { Rule } from '../engine/rule';

export const STARTER_FILE_NAME = '.portlintrc.yaml';
/** Where the schema is when portlint is installed in the project, relative to the configuration file. */
export const SCHEMA_PATH = './node_modules/portlint/schemas/portlintrc.schema.json';

function optionNames(rule: Rule<never>): string[] {
  return Object.keys((rule.meta.optionsSchema?.properties as Record<string, unknown> | undefined) ?? {});
}

export function starterConfig(rules: readonly Rule<never>[]): string {
  const width = Math.max(...rules.map((r) => r.meta.id.length)) + 1;
  const ruleLines = rules.map((r) => {
    const options = optionNames(r);
    const note = options.length ? `   # options: ${options.join(', ')}` : '';
    return `  # ${`${r.meta.id}:`.padEnd(width)} ${options.length ? r.meta.defaultSeverity.padEnd(7) : r.meta.defaultSeverity}${note}`;
  });
  return `# yaml-language-server: $schema=${SCHEMA_PATH}
#
# portlint configuration. portlint uses the nearest .portlintrc.yaml, .portlintrc.yml,
# .portlintrc.json or portlint.config.json, walking up from the working directory
# (--config <file> names one, --no-config ignores them). Flags win over this file.

# Rule severities: off, info, warning or error. A rule left out keeps its default.
# With options:   some/rule: [warning, { option: value }]
#            or:  some/rule: { severity: warning, options: { option: value } }
# Every rule, with its default severity (portlint rules describes them):
rules:
${ruleLines.join('\n')}
  # For example, a rule with options:
  # exposure/unbound-publish: [warning, { allowedPorts: [80, 443] }]

# Platform whose port ranges apply: linux, macos, windows or all.
# platform: all

# The engine runs rootless (Docker rootless mode or Podman): ports below 1024 fail.
# rootless: false

# The oldest docker compose release the files must work with: syntax/compose-version reports
# what older releases refuse or read differently (raw IPv6 before 2.24, !override before 2.24.4).
# compose: "2.24"

# Report portlint-disable comments that suppress nothing (as --report-unused-disable does).
# reportUnusedDisable: false

# Every project this configuration's run checks runs on one host (as --same-host says), so
# collision/cross-project compares them all; without it, only the configured projects.
# sameHost: false

# Files and folders to skip when searching directories and in paths given on the command
# line, relative to this file. A pattern without a slash matches at any depth.
ignore:
  # - legacy/
  # - "**/*.example.yaml"

# Compose files with other names that directory searches also check, each on its own,
# relative to this file (files named on the command line count whatever their name).
include:
  # - "quickstart*.yml"
  # - "docker-compose_v3_*.yaml"

# Named projects, checked when portlint runs with no paths and no -f. Paths are relative
# to this file; the name is the project name (as -p sets it). They run on one host, so
# collision/cross-project compares them, unless host names another one for an entry.
projects:
  # - name: shop
  #   files: [shop/compose.yaml, shop/compose.prod.yaml]
  #   envFiles: [shop/.env.ci]
  #   profiles: [debug]
  # - name: monitoring
  #   files: [monitoring/compose.yaml]
  #   host: ops

# Ports that are meant to be reachable from other hosts: a binding of the service on these
# host ports is not reported by the exposure rules (or by the rules listed in \`rules\`).
allow:
  # - service: proxy
  #   ports: [80, 443]
  #   reason: public reverse proxy
  # - service: grafana
  #   project: monitoring
  #   ports: ["3000"]
  #   rules: [exposure/unbound-publish]
`;
}
