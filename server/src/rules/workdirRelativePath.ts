import { unquoteWord } from '../analysis/fromVariables';
import { Rule } from './rule';
import { ancestorsWith } from './stageChain';

/**
 * BuildKit lint WorkdirRelativePath (dockerfile2llb/convert.go dispatchWorkdir): the first WORKDIR
 * of a stage (none in it before, none in a stage it is built FROM: dispatchState.workdirSet) with
 * a relative path depends on the working directory of the base image, which may change. Later
 * relative WORKDIRs are left alone: fixing the first fixes them. The path is checked as BuildKit
 * sees it after expansion: one that starts with a variable is left alone (its value decides),
 * and a Windows drive path (`C:\app`) counts as absolute.
 * Message: `Relative workdir "app" can have unexpected results if the base image changes`, on the path.
 */
export const workdirRelativePath: Rule = {
  code: 'WorkdirRelativePath',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Relative workdir without an absolute workdir declared within the build can have unexpected results if the base image changes.',
  check(model, report) {
    const inherited = ancestorsWith(model, 'WORKDIR');
    for (const stage of model.stages) {
      if (inherited[stage.index]) continue;
      const workdir = stage.syntax.instructions.find((i) => i.keyword === 'WORKDIR');
      const path = workdir?.facts?.args;
      if (!path) continue;
      const value = unquoteWord(path.text, model.escapeChar);
      if (value === undefined || isAbsolute(value)) continue;
      report({
        message: `Relative workdir ${JSON.stringify(value)} can have unexpected results if the base image changes: it is relative to the base image's working directory. Write an absolute path.`,
        range: path.range,
      });
    }
  },
};

/** An absolute path for Linux (`/app`) or Windows (`C:\app`, `\app`) containers (system.IsAbs). */
function isAbsolute(path: string): boolean {
  return path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:[\\/]/.test(path);
}
