import { Rule } from './rule';
import { buildkitStageName, refLabel, stageLabel } from './referenceDescriptions';

/**
 * COPY --from a stage defined after the current one: stages are dispatched in file order, so
 * BuildKit fails. (A mount from= a later stage is fine unless it closes a cycle.)
 */
export const laterStageReference: Rule = {
  code: 'LaterStageReference',
  buildkitCheck: false,
  severity: 'error',
  description: 'A COPY --from that names a stage defined later in the file.',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'stage' || ref.resolution.problem !== 'later') continue;
      const target = model.stages[ref.resolution.stage];
      const owner = model.stages[ref.owner];
      report({
        message: `${refLabel(ref)} refers to ${stageLabel(model, target.index)}, which is defined after the current stage ${stageLabel(model, ref.owner)}. BuildKit fails with "cannot copy from stage "${ref.value}", it needs to be defined before current stage "${buildkitStageName(model, owner.index)}"".`,
        range: ref.range,
        related: [{ range: target.nameRange ?? target.syntax.from.range, message: `${stageLabel(model, target.index)} is defined here` }],
        data: { stage: target.index },
      });
    }
  },
};
