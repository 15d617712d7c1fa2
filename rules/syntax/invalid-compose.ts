import { defineRule } from '../../src/engine/rule';
import { problemFindings } from './problems';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/invalid-compose',
    description: 'Structure that is not valid Compose where port publishing depends on it, or a required variable without a value anywhere: Compose rejects the project.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/syntax/invalid-compose.md',
  },
  check({ projects }) {
    return problemFindings(projects, ['invalid-compose']);
  },
});
