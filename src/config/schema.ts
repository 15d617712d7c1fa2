/**
 * The JSON schema of the configuration file, composed from the rule catalogue so that
 * every rule id and every rule's options are known to editors and to validation.
 * `schemas/portlintrc.schema.json` is this schema written out (scripts/generate-schema.js);
 * a test regenerates it and compares, so the shipped file never drifts from the code.
 */
import type { Rule } from '../engine/rule';

export const SCHEMA_ID = 'urn:portlint:schema:portlintrc';
export const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;
export const PLATFORMS = ['linux', 'macos', 'windows', 'all'] as const;

const severitySchema = () => ({
  type: 'string',
  enum: [...SEVERITIES],
  description: 'off, info, warning or error.',
});

const portEntry = () => ({
  oneOf: [
    { type: 'integer', minimum: 0, maximum: 65535 },
    { type: 'string', pattern: '^[0-9]{1,5}(-[0-9]{1,5})?$' },
  ],
  description: 'A host port (0-65535) or a range "a-b".',
});

const stringList = (description: string) => ({
  type: ['array', 'null'],
  items: { type: 'string', minLength: 1 },
  description,
});

/** The options schema of a rule, or an empty object schema when the rule takes none. */
function optionsOf(rule: Rule<never>): Record<string, unknown> {
  return clone(rule.meta.optionsSchema ?? { type: 'object', properties: {}, additionalProperties: false });
}

function clone<T>(x: T): T {
  return JSON.parse(JSON.stringify(x)) as T;
}

function ruleEntrySchema(rule: Rule<never>): Record<string, unknown> {
  const m = rule.meta;
  const options = Object.keys((m.optionsSchema?.properties as Record<string, unknown> | undefined) ?? {});
  const description =
    `${m.description} Default: ${m.defaultSeverity}.` +
    (options.length ? ` Options: ${options.join(', ')}.` : '') +
    ` Documentation: ${m.docs}`;
  return {
    description,
    oneOf: [
      severitySchema(),
      {
        type: 'array',
        description: '[severity] or [severity, options]',
        items: [severitySchema(), optionsOf(rule)],
        minItems: 1,
        additionalItems: false,
      },
      {
        type: 'object',
        description: '{ severity, options }; either may be left out',
        properties: { severity: severitySchema(), options: optionsOf(rule) },
        additionalProperties: false,
      },
    ],
  };
}

/**
 * The schema of the configuration file. `only` leaves out the entries of the rules it does not
 * name (validation of a given file needs only the rules it lists, and compiles much faster);
 * a rule id that is not in the catalogue is rejected either way.
 */
export function buildConfigSchema(rules: readonly Rule<never>[], only?: ReadonlySet<string>): Record<string, unknown> {
  const ruleProps: Record<string, unknown> = {};
  for (const rule of rules) if (!only || only.has(rule.meta.id)) ruleProps[rule.meta.id] = ruleEntrySchema(rule);
  const ids = rules.map((r) => r.meta.id);
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: SCHEMA_ID,
    title: 'portlint configuration',
    description:
      'Configuration of portlint, the Docker Compose port publishing linter: .portlintrc.yaml, .portlintrc.yml, .portlintrc.json or portlint.config.json, found by walking up from the working directory.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string', description: 'The schema this file follows, for editors.' },
      rules: {
        type: ['object', 'null'],
        description:
          'Rule severities and options, by rule id: "warning", ["warning", { options }] or { severity: warning, options: { ... } }. Rules not listed keep their defaults; --rule flags win over this.',
        properties: ruleProps,
        additionalProperties: false,
      },
      platform: {
        type: 'string',
        enum: [...PLATFORMS],
        description: 'Platform whose port ranges apply (default: all). --platform wins over this.',
      },
      compose: {
        type: 'string',
        description: 'The oldest docker compose release the files must work with, such as "2.20": syntax/compose-version reports what older releases refuse or read differently. --compose wins over this.',
      },
      rootless: {
        type: 'boolean',
        description: 'The engine runs rootless (Docker rootless mode or Podman): ports below 1024 fail. --rootless turns it on too.',
      },
      swarm: {
        type: 'boolean',
        description: 'Read the compose files as docker stack deploy does (the docker CLI loader, Swarm publishing), as --swarm does.',
      },
      reportUnusedDisable: {
        type: 'boolean',
        description: 'Report portlint-disable comments that suppress nothing, as --report-unused-disable does.',
      },
      sameHost: {
        type: 'boolean',
        description:
          'Every project this configuration\'s run checks runs on one host, as --same-host says: collision/cross-project compares them all. Without it, only configured projects are compared.',
      },
      ignore: {
        ...stringList(
          'Files or globs to skip when searching directories and in positional paths, relative to this file: "legacy/**", "*.example.yaml", "vendor/". A pattern without a slash matches at any depth.',
        ),
        items: { type: 'string', minLength: 1, pattern: '^[^!]' },
      },
      include: {
        ...stringList(
          'Globs of compose files with other names that directory searches also check, each on its own, relative to this file: "quickstart*.yml", "deploy/docker-compose_v3_*.yaml". A pattern without a slash matches at any depth.',
        ),
        items: { type: 'string', minLength: 1, pattern: '^[^!]' },
      },
      projects: {
        type: ['array', 'null'],
        description: 'Named projects, checked when portlint runs with no paths and no -f; collision/cross-project compares them as projects of one host (see host). Paths are relative to this file.',
        items: {
          type: 'object',
          required: ['name', 'files'],
          additionalProperties: false,
          properties: {
            name: { type: 'string', minLength: 1, description: 'Project name (as -p sets it); also what allow[].project refers to.' },
            files: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 }, description: 'Compose files in load order, as -f lists them.' },
            envFiles: stringList('Interpolation values instead of the project .env, as --env-file.'),
            profiles: stringList('Profiles to activate, as --profile.'),
            projectDirectory: { type: 'string', minLength: 1, description: "Project directory (default: the first file's directory)." },
            host: {
              type: 'string',
              minLength: 1,
              description: 'The host the project runs on: collision/cross-project compares only projects on one host (default: the one host of the configured projects without host). sameHost and --same-host put every project on one host.',
            },
          },
        },
      },
      allow: {
        type: ['array', 'null'],
        description:
          'Published ports that are meant to be reachable: a binding of the service on these host ports is not reported by the listed rules (default: every exposure/* rule).',
        items: {
          type: 'object',
          required: ['service', 'ports'],
          additionalProperties: false,
          properties: {
            service: { type: 'string', minLength: 1, description: 'Service name.' },
            ports: { type: 'array', minItems: 1, items: portEntry(), description: 'Host ports or "a-b" ranges the service may publish.' },
            project: { type: 'string', minLength: 1, description: 'Only in this project (default: any project).' },
            rules: {
              type: 'array',
              minItems: 1,
              items: { type: 'string', enum: ids },
              description: 'Rules the allowance applies to (default: every exposure/* rule).',
            },
            reason: { type: 'string', description: 'Why the exposure is intended, for reviewers.' },
          },
        },
      },
    },
  };
}

/** The schema as shipped in schemas/portlintrc.schema.json. */
export function configSchemaText(rules: readonly Rule<never>[]): string {
  return `${JSON.stringify(buildConfigSchema(rules), null, 2)}\n`;
}
