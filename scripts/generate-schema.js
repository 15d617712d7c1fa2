#!/usr/bin/env node
// Writes schemas/portlintrc.schema.json from the rule catalogue (run after a build: npm run schema).
// test/config-schema.test.ts fails when the shipped file differs from what this writes.
'use strict';
const { mkdirSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { catalogue } = require('../dist/rules');
const { configSchemaText } = require('../dist/src/config/schema');

const out = join(__dirname, '..', 'schemas', 'portlintrc.schema.json');
mkdirSync(join(out, '..'), { recursive: true });
writeFileSync(out, configSchemaText(catalogue));
console.log(`wrote ${out}`);
