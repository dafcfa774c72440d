import { Rule } from './rule';
import { buildkitStageName, refLabel, stageLabel } from './referenceDescriptions';

/**
 * A stage that needs itself, directly or through other stages (BuildKit fails with
 * "circular dependency detected on stage: NAME", dockerfile2llb validateCircularDependency).
 */
export const circularStageReference: Rule = {
  code: 'CircularStageReference',
  buildkitCheck: false,
  severity: 'error',
  description: 'A --from or from= that makes a stage depend on itself, directly or through other stages.',
  check(model, report) {
    for (const ref of model.refs) {
      const res = ref.resolution;
      if (res.kind !== 'stage' || (res.problem !== 'self' && res.problem !== 'cycle')) continue;
      const owner = model.stages[ref.owner];
      const target = model.stages[res.stage];
      const message = res.problem === 'self'
        ? `Circular dependency: ${refLabel(ref)} refers to the stage it is in, ${stageLabel(model, owner.index)}.`
        : `Circular dependency: ${refLabel(ref)} makes ${stageLabel(model, owner.index)} depend on ${stageLabel(model, target.index)}, which already depends on it.`;
      report({
        message: `${message} BuildKit fails with "circular dependency detected on stage: ${buildkitStageName(model, owner.index)}".`,
        range: ref.range,
        related: [{ range: target.nameRange ?? target.syntax.from.range, message: `${stageLabel(model, target.index)} is defined here` }],
      });
    }
  },
};
