import { Rule } from './rule';
import { keywordToValueRange } from './referenceDescriptions';

/** ADD has no --from flag in any BuildKit version: the build fails with "unknown flag: from". */
export const addFromFlag: Rule = {
  code: 'AddFromFlag',
  buildkitCheck: false,
  severity: 'error',
  description: 'ADD --from, a flag ADD does not have (COPY --from copies from a stage).',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'add-from') continue;
      report({
        message: `ADD has no --from flag (the build fails with "unknown flag: from"): use COPY --from=${ref.value} to copy from a stage or image.`,
        range: keywordToValueRange(ref),
      });
    }
  },
};
