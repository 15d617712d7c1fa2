/**
 * The shipped JSON schema of the configuration file: in sync with the rule catalogue,
 * usable by editors, and the same validation portlint runs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { describe, expect, it } from 'vitest';
import { catalogue } from '../rules';
import { parseConfig } from '../src/config/load';
import { buildConfigSchema, configSchemaText } from '../src/config/schema';
import { REPO } from './helpers';

const SHIPPED = join(REPO, 'schemas', 'portlintrc.schema.json');

describe('schemas/portlintrc.schema.json', () => {
  it('is what the catalogue generates (regenerate with npm run schema)', () => {
    expect(readFileSync(SHIPPED, 'utf8')).toBe(configSchemaText(catalogue));
  });

  it('is a draft-07 schema with an $id, a title and a description for every setting and rule', () => {
    const schema = JSON.parse(readFileSync(SHIPPED, 'utf8'));
    expect(schema.$schema).toBe('http://json-schema.org/draft-07/schema#');
    expect(schema.$id).toMatch(/^[a-z]+:/);
    expect(schema.title).toBe('portlint configuration');
    for (const [key, value] of Object.entries(schema.properties as Record<string, { description?: string }>)) {
      expect(value.description, key).toBeTruthy();
    }
    const rules = schema.properties.rules.properties as Record<string, { description: string }>;
    expect(Object.keys(rules)).toEqual(catalogue.map((r) => r.meta.id));
    for (const r of catalogue) {
      expect(rules[r.meta.id].description).toContain(r.meta.description);
      expect(rules[r.meta.id].description).toContain(`Default: ${r.meta.defaultSeverity}.`);
    }
  });

  it('embeds every rule\'s options schema in both the array and the object form', () => {
    const schema = buildConfigSchema(catalogue) as { properties: { rules: { properties: Record<string, { oneOf: Array<Record<string, unknown>> }> } } };
    for (const r of catalogue) {
      const forms = schema.properties.rules.properties[r.meta.id].oneOf;
      const expected = r.meta.optionsSchema ?? { type: 'object', properties: {}, additionalProperties: false };
      expect((forms[1].items as unknown[])[1]).toEqual(expected);
      expect((forms[2].properties as Record<string, unknown>).options).toEqual(expected);
    }
  });

  it('a plain ajv accepts and rejects what portlint accepts and rejects', () => {
    const validate = new Ajv({ allErrors: true, strictTuples: false, allowUnionTypes: true }).compile(JSON.parse(readFileSync(SHIPPED, 'utf8')));
    const good = {
      $schema: './node_modules/portlint/schemas/portlintrc.schema.json',
      rules: { 'exposure/unbound-publish': ['warning', { allowedPorts: [80, '8000-8010'] }], 'range/ephemeral': 'off' },
      platform: 'linux',
      allow: [{ service: 'proxy', ports: [443] }],
    };
    expect(validate(good)).toBe(true);
    expect(() => parseConfig('/x/.portlintrc.json', JSON.stringify(good))).not.toThrow();
    const bad = { rules: { 'exposure/unbound-publish': ['warning', { allowedPorts: ['http'] }] } };
    expect(validate(bad)).toBe(false);
    expect(() => parseConfig('/x/.portlintrc.json', JSON.stringify(bad))).toThrow(/"http" is not a port/);
  });
});

describe('docs/configuration.md', () => {
  it('its full example is a valid configuration', () => {
    const doc = readFileSync(join(REPO, 'docs', 'configuration.md'), 'utf8');
    const section = doc.slice(doc.indexOf('## Full example'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1];
    const config = parseConfig(join(REPO, '.portlintrc.yaml'), yaml);
    expect(Object.keys(config.rules)).toHaveLength(4);
    expect(config.rules['exposure/unbound-publish']).toEqual({ severity: 'error', options: { allowedPorts: [80, 443] } });
    expect(config.projects?.map((p) => p.name)).toEqual(['shop', 'monitoring']);
    expect(config.allow).toHaveLength(2);
  });

  it('documents every setting of the schema', () => {
    const doc = readFileSync(join(REPO, 'docs', 'configuration.md'), 'utf8');
    const schema = buildConfigSchema(catalogue) as { properties: Record<string, unknown> };
    for (const key of Object.keys(schema.properties).filter((k) => k !== '$schema')) expect(doc).toContain(`### \`${key}\``);
  });
});
