import { defineRule } from '../../src/engine/rule';
import { problemFindings } from './problems';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/host-ip-not-ip',
    description: 'A host part that is not an IP address (e.g. localhost), which Compose rejects.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/syntax/host-ip-not-ip.md',
  },
  check({ projects }) {
    // The loader's message carries the hint (use an IP address such as 127.0.0.1).
    return problemFindings(projects, ['host-ip-not-ip']);
  },
});
