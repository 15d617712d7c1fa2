/**
 * Recognising a service by its image. A reference such as
 * `registry.example.com:5000/library/mariadb:11.4@sha256:…` names the repository
 * `library/mariadb`; catalogue patterns name its last part (`mariadb`) or a tail of it
 * (`mssql/server`, `debezium/connect`), so every registry, mirror and tag of an image matches.
 */

/** The repository path of an image reference, lower-case, without registry, tag or digest; "" when a variable is left in it. */
export function imageRepository(reference: string): string {
  if (reference.includes('$')) return '';
  let ref = reference.trim().toLowerCase();
  const at = ref.indexOf('@');
  if (at >= 0) ref = ref.slice(0, at);
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  if (colon > slash) ref = ref.slice(0, colon);
  const parts = ref.split('/');
  // The docker CLI's rule: a first part with a dot or a port, or "localhost", is a registry.
  if (parts.length > 1 && (/[.:]/.test(parts[0]) || parts[0] === 'localhost')) parts.shift();
  return parts.join('/');
}

/** A test on a repository path (from `imageRepository`, computed once per service): whether it ends with one of the patterns at a `/`. */
export type RepositoryMatcher = (repository: string) => boolean;

export function repositoryMatcher(patterns: readonly string[]): RepositoryMatcher {
  const wanted = patterns.map((p) => p.toLowerCase().replace(/^\/+|\/+$/g, ''));
  return (repo) => repo !== '' && wanted.some((p) => repo === p || repo.endsWith(`/${p}`));
}
