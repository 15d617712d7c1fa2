import { defineRule } from '../../src/engine/rule';
import { problemFindings } from './problems';

const HINT = 'use an IP address such as 127.0.0.1';

export default defineRule<Record<string, never>>({
  meta: {
    id: 'syntax/host-ip-not-ip',
    description: 'A host part that is not an IP address (e.g. localhost), which Compose rejects.',
    defaultSeverity: 'error',
    fixable: false,
    docs: 'docs/rules/syntax/host-ip-not-ip.md',
  },
  check({ projects }) {
    // The loader's message already carries the hint; add it only where it is missing.
    return problemFindings(projects, ['host-ip-not-ip'], (p) => (p.message.includes('127.0.0.1') ? p.message : `${p.message}; ${HINT}`));
  },
});
