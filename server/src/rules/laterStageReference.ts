import { Rule } from './rule';
import { buildkitStageName, refLabel, stageLabel } from './referenceDescriptions';

/**
 * COPY --from or RUN --mount from= a stage defined after the current one: stages are dispatched
 * in file order and the source must be dispatched already, so BuildKit fails (dockerfile2llb
 * convert.go for COPY, convert_runmount.go dispatchRunMounts for a mount).
 */
export const laterStageReference: Rule = {
  code: 'LaterStageReference',
  buildkitCheck: false,
  severity: 'error',
  description: 'A COPY --from or RUN --mount from= that names a stage defined later in the file.',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'stage' || ref.resolution.problem !== 'later') continue;
      const target = model.stages[ref.resolution.stage];
      const owner = model.stages[ref.owner];
      const buildkit = ref.kind === 'mount'
        ? `"cannot mount from stage "${ref.value}" to …, stage needs to be defined before current command"`
        : `"cannot copy from stage "${ref.value}", it needs to be defined before current stage "${buildkitStageName(model, owner.index)}""`;
      report({
        message: `${refLabel(ref)} refers to ${stageLabel(model, target.index)}, which is defined after the current stage ${stageLabel(model, ref.owner)}. BuildKit fails with ${buildkit}.`,
        range: ref.range,
        related: [{ range: target.nameRange ?? target.syntax.from.range, message: `${stageLabel(model, target.index)} is defined here` }],
        data: { stage: target.index },
      });
    }
  },
};
