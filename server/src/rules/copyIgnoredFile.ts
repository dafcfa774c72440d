import { cleanPath } from '../analysis/dockerignore';
import { unquoteWord } from '../analysis/fromVariables';
import { Rule } from './rule';

/**
 * BuildKit lint CopyIgnoredFile (dockerfile2llb/validations.go validateCopySourcePath, from
 * dispatchCopy for the local sources of ADD and of a COPY without --from): a source the build
 * context's ignore file excludes is not in the context, so the COPY fails or copies less.
 * As BuildKit: nothing is checked without an ignore file or when it has an exception (`!…`,
 * which makes a static answer unsure); the source is cleaned (`./a/` is `a`) and matched with
 * its parent folders (MatchesOrParentMatches); the context root (`.` or `/`) only counts as
 * ignored under a pattern that ignores everything at the root (`*`, `**`, `**\/*`); URLs and Git
 * sources of ADD, here-documents and sources with variables are not local paths known here.
 * The ignore file is the one the protocol layer or the CLI found beside the Dockerfile (passed in
 * the rule context); without one the rule reports nothing.
 * Message: `Attempting to Copy file "tmp/x" that is excluded by .dockerignore`, on the source.
 */
export const copyIgnoredFile: Rule = {
  code: 'CopyIgnoredFile',
  buildkitCheck: true,
  usesContext: true,
  severity: 'warning',
  description: 'Attempting to Copy file that is excluded by .dockerignore.',
  check(model, report, context) {
    const ignore = context?.dockerignore;
    if (!ignore || ignore.size === 0 || ignore.exclusions) return;
    for (const stage of model.stages) {
      for (const ins of stage.syntax.instructions) {
        const add = ins.keyword === 'ADD';
        if ((!add && ins.keyword !== 'COPY') || !ins.facts?.words || (!add && ins.facts.fromFlag)) continue;
        for (const src of ins.facts.words) {
          const value = unquoteWord(src.text, model.escapeChar);
          if (value === undefined || value.includes('://') || value.startsWith('git@')) continue;
          const path = cleanPath(value);
          if ((path === '.' || path === '/') && !ignore.ignoresRoot()) continue;
          const pattern = ignore.matchingPattern(path);
          if (pattern === undefined) continue;
          const where = ignore.name === '.dockerignore' ? '' : ` (${ignore.name})`;
          report({
            message: `Attempting to ${add ? 'Add' : 'Copy'} file ${JSON.stringify(path)} that is excluded by .dockerignore${where}: the pattern ${JSON.stringify(pattern)} leaves it out of the build context.`,
            range: src.range,
            data: { pattern },
          });
        }
      }
    }
  },
};
