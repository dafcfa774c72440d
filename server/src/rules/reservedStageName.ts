import { RESERVED_STAGE_NAMES } from '../analysis/stageNames';
import { Rule, quote } from './rule';

/** BuildKit lint ReservedStageName: `scratch` and `context` mean something else to BuildKit. */
export const reservedStageName: Rule = {
  code: 'ReservedStageName',
  buildkitCheck: true,
  severity: 'warning',
  description: 'A stage named "scratch" or "context", names BuildKit reserves.',
  check(model, report) {
    for (const stage of model.stages) {
      if (stage.key === undefined || !RESERVED_STAGE_NAMES.has(stage.key)) continue;
      report({
        message: `Stage name ${quote(stage.name!)} is reserved by BuildKit (${stage.key === 'scratch' ? 'the empty image' : 'the build context'}); choose another name.`,
        range: stage.nameRange!,
      });
    }
  },
};
