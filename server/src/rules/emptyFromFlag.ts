import { Rule } from './rule';

/**
 * `COPY --from=` with nothing after it. BuildKit does not reject it: an empty --from is no
 * --from (dockerfile2llb toCommand checks `c.From != ""`), so the COPY silently reads the
 * build context instead of a stage. (An empty mount `from=` is fine: it mounts scratch.)
 */
export const emptyFromFlag: Rule = {
  code: 'EmptyFromFlag',
  buildkitCheck: false,
  severity: 'warning',
  description: 'A --from= without a value, which BuildKit ignores (the COPY reads the build context).',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'empty') continue;
      report({
        message: 'Empty --from=: BuildKit ignores it and copies from the build context. Name a stage or an image, or remove the flag.',
        // From the keyword when the flag is on its line; else the `--from=` itself.
        range: ref.instructionRange.start.line === ref.flagRange.start.line ? { start: ref.instructionRange.start, end: ref.flagRange.end } : ref.flagRange,
      });
    }
  },
};
