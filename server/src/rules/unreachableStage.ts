import { Rule } from './rule';
import { stageLabel } from './referenceDescriptions';

/**
 * A stage the default target (the last stage) never reaches is skipped by a plain
 * `docker build`. Often on purpose (test or dev stages built with --target), so a faded hint.
 */
export const unreachableStage: Rule = {
  code: 'UnreachableStage',
  buildkitCheck: false,
  severity: 'hint',
  description: 'A stage that building the default target (the last stage) does not build.',
  check(model, report) {
    const target = model.targetIndex;
    if (target === undefined) return;
    for (const stage of model.stages) {
      if (stage.reachable) continue;
      report({
        message: `${stageLabel(model, stage.index)} is not built by default: the default target ${stageLabel(model, target)} does not use it. Build it with --target${stage.name ? ` ${stage.name}` : ' after naming it'}.`,
        range: stage.syntax.from.range,
        unnecessary: true,
        related: [{ range: model.stages[target].syntax.from.range, message: 'The default target' }],
      });
    }
  },
};
