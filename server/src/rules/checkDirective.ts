/**
 * The `# check=skip=A,B;error=true` parser directive, which BuildKit applies to its own lint
 * checks: `skip` turns checks off (`all` turns every check off), `error=true` makes them fail
 * the build, so they are shown as errors.
 */
import { buildkitDirectives } from '../analysis/directives';
import { Directive } from '../analysis/syntax';

export interface CheckDirective {
  skipAll: boolean;
  skip: Set<string>;
  errors: boolean;
}

export function readCheckDirective(directives: readonly Directive[]): CheckDirective {
  const result: CheckDirective = { skipAll: false, skip: new Set(), errors: false };
  // Only the value's first space-separated word counts (detectDirectiveFromParser).
  const directive: Directive | undefined = buildkitDirectives(directives).find((d) => d.name === 'check');
  if (!directive) return result;
  for (const part of directive.value.trim().split(' ')[0].split(';')) {
    const eq = part.indexOf('=');
    if (eq === -1) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 'skip') {
      for (const name of value.split(',')) {
        // Rule names are matched exactly, as lint/linter.go ParseLintOptions does.
        const n = name.trim();
        if (n === 'all') result.skipAll = true;
        else if (n) result.skip.add(n);
      }
    } else if (key === 'error') {
      // strconv.ParseBool; an unparsable value fails the build, and then nothing is linted.
      result.errors = ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value);
    }
  }
  return result;
}
