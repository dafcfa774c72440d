import { Rule } from './rule';
import { stageLabel } from './referenceDescriptions';

/** A FROM base built from ARGs is resolved only at build time: say what it can be, never guess. */
export const baseDependsOnArg: Rule = {
  code: 'BaseDependsOnArg',
  buildkitCheck: false,
  severity: 'hint',
  description: 'A FROM base that uses build arguments, so which stage or image it is depends on the build.',
  check(model, report) {
    for (const stage of model.stages) {
      const ref = stage.baseRef;
      if (!ref || ref.resolution.kind !== 'variable') continue;
      const { candidates, withDefaults } = ref.resolution;
      let message = `The base ${ref.value} depends on build arguments, so it is known only at build time.`;
      if (withDefaults !== undefined) message += ` With the declared defaults it is ${stageLabel(model, withDefaults)}.`;
      if (candidates.length > 0) {
        message += ` It can name ${candidates.length === 1 ? 'stage' : 'stages'} ${candidates.map((c) => model.displayName(model.stages[c])).join(', ')}.`;
      }
      report({
        message,
        range: ref.range,
        related: candidates.map((c) => ({
          range: model.stages[c].nameRange ?? model.stages[c].syntax.from.range,
          message: `Possible base ${stageLabel(model, c)}`,
        })),
      });
    }
  },
};
