import { isValidStageName } from '../analysis/stageNames';
import { Rule, quote } from './rule';

/** BuildKit rejects names outside ^[a-z][a-z0-9-_.]*$ (after lower-casing) before building anything. */
export const invalidStageName: Rule = {
  code: 'InvalidStageName',
  buildkitCheck: false,
  severity: 'error',
  description: 'A stage name BuildKit rejects: it must start with a letter and hold only letters, digits, "-", "_" and ".".',
  check(model, report) {
    for (const stage of model.stages) {
      if (stage.name === undefined || stage.nameRange === undefined) continue;
      if (isValidStageName(stage.name)) continue;
      report({
        message: `Invalid stage name ${quote(stage.name)}: a name must start with a letter and hold only letters, digits, "-", "_" and ".".`,
        range: stage.nameRange,
      });
    }
  },
};
