import { Rule, quote } from './rule';

/** `--from=N` works, but breaks silently when stages move; a name says what is meant. */
export const numericStageReference: Rule = {
  code: 'NumericStageReference',
  buildkitCheck: false,
  severity: 'information',
  description: 'A --from=N that refers to a stage by its index rather than its name.',
  check(model, report) {
    for (const ref of model.refs) {
      if (!ref.numeric || ref.resolution.kind !== 'stage' || ref.resolution.problem) continue;
      const stage = model.stages[ref.resolution.stage];
      report({
        message: stage.name
          ? `--from=${ref.value} refers to stage ${quote(stage.name)} by index: use its name, which stays right when stages move.`
          : `--from=${ref.value} refers to unnamed stage ${stage.index} by index: name the stage (FROM … AS name) and use the name.`,
        range: ref.range,
        severity: stage.name ? 'information' : 'hint',
        related: [{ range: stage.nameRange ?? stage.syntax.from.range, message: `Stage ${stage.index}` }],
        data: { stage: stage.index },
      });
    }
  },
};
