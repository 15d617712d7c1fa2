/** Which files the benchmark hands to each tool: the compose-named files portlint selects. */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Same naming rule as portlint's file selection (compose*.y[a]ml, *.compose.y[a]ml). */
const COMPOSE_NAME = /^(?:(?:docker-)?compose(?:[.-][^/]*)?|[^/]+\.compose)\.ya?ml$/;

/** A file as it is; a directory: every compose-named file below it, skipping .git and node_modules. */
export function composeFiles(path, out = []) {
  if (!statSync(path).isDirectory()) {
    out.push(path);
    return out;
  }
  for (const e of readdirSync(path, { withFileTypes: true })) {
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') composeFiles(join(path, e.name), out);
    } else if (e.isFile() && COMPOSE_NAME.test(e.name)) out.push(join(path, e.name));
  }
  return out;
}
