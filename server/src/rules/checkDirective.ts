/**
 * The `# check=skip=A,B;error=true;experimental=C` parser directive, which BuildKit applies to its
 * own lint checks (frontend/dockerfile/linter/linter.go ParseLintOptions, Linter.Run): `skip`
 * turns checks off (`all` turns every check off), `error=true` makes them fail the build, so they
 * are shown as errors, and `experimental` turns on the experimental checks it names (`all`: every
 * one). `skip` does not apply to an experimental check: naming it in `experimental` runs it.
 */
import { buildkitDirectives } from '../analysis/directives';
import { Directive } from '../analysis/syntax';

export interface CheckDirective {
  skipAll: boolean;
  skip: Set<string>;
  errors: boolean;
  experimentalAll: boolean;
  experimental: Set<string>;
}

export function readCheckDirective(directives: readonly Directive[]): CheckDirective {
  const result: CheckDirective = { skipAll: false, skip: new Set(), errors: false, experimentalAll: false, experimental: new Set() };
  // Only the value's first space-separated word counts (detectDirectiveFromParser).
  const directive: Directive | undefined = buildkitDirectives(directives).find((d) => d.name === 'check');
  if (!directive) return result;
  for (const part of directive.value.trim().split(' ')[0].split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'skip' || key === 'experimental') {
      // `all` only as the whole value; rule names are matched exactly (ParseLintOptions).
      if (value === 'all') {
        if (key === 'skip') result.skipAll = true;
        else result.experimentalAll = true;
        continue;
      }
      for (const name of value.split(',')) {
        const n = name.trim();
        if (n) (key === 'skip' ? result.skip : result.experimental).add(n);
      }
    } else if (key === 'error') {
      // strconv.ParseBool; an unparsable value fails the build, and then nothing is linted.
      result.errors = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
    }
  }
  return result;
}
