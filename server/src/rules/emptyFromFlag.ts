import { Rule } from './rule';
import { keywordToValueRange } from './referenceDescriptions';

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
        range: ref.instructionRange.start.line === ref.range.start.line
          ? keywordToValueRange(ref)
          // The value is empty: mark the `--from=` before it.
          : { start: { line: ref.range.start.line, character: Math.max(0, ref.range.start.character - '--from='.length) }, end: ref.range.end },
      });
    }
  },
};
