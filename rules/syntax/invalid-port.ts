import { defineRule } from '../../src/engine/rule';
import { problemFindings } from './problems';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/invalid-port',
    description: 'A port entry that Compose or the Engine rejects (number, range, protocol, type or interpolation).',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/syntax/invalid-port.md',
  },
  check({ projects }) {
    return problemFindings(projects, ['invalid-port', 'interpolation']);
  },
});
