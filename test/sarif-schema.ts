/** The official SARIF 2.1.0 schema (../shared/schemas, or PORTLINT_SARIF_SCHEMA), compiled once, for the suites that write SARIF. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { REPO } from './helpers';

export const SCHEMA_PATH = process.env.PORTLINT_SARIF_SCHEMA ?? resolve(REPO, '..', 'shared', 'schemas', 'sarif-schema-2.1.0.json');
export const HAVE_SCHEMA = existsSync(SCHEMA_PATH);

/** Validates a SARIF log; `errors` holds why it is not valid. Without the schema it accepts everything (HAVE_SCHEMA says so). */
export let validateSarif: ((data: unknown) => boolean) & { errors?: unknown } = Object.assign(() => true, { errors: undefined });
if (HAVE_SCHEMA) {
  const ajv = new Ajv({ allErrors: true, strict: false, validateFormats: true });
  addFormats(ajv);
  validateSarif = ajv.compile(JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')));
}
