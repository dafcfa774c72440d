import { Rule } from './rule';
import { stageLabel } from './referenceDescriptions';

const MAX_LISTED = 5;

/**
 * A FROM base built from ARGs that can name a stage of this file is resolved only at build
 * time: say which stages it can be, never guess. Bases that can only be images
 * (`golang:${GO_VERSION}`) are ordinary and get nothing.
 */
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
      if (candidates.length === 0 && withDefaults === undefined) continue;
      let message = `The base ${ref.value} depends on build arguments, so it is known only at build time.`;
      if (withDefaults !== undefined) message += ` With the declared defaults it is ${stageLabel(model, withDefaults)}.`;
      if (candidates.length > 0) {
        const names = candidates.slice(0, MAX_LISTED).map((c) => model.displayName(model.stages[c]));
        const more = candidates.length > MAX_LISTED ? ` and ${candidates.length - MAX_LISTED} more` : '';
        message += ` It can name ${candidates.length === 1 ? 'stage' : 'stages'} ${names.join(', ')}${more}.`;
      }
      report({
        message,
        range: ref.range,
        related: candidates.slice(0, MAX_LISTED).map((c) => ({
          range: model.stages[c].nameRange ?? model.stages[c].syntax.from.range,
          message: `Possible base ${stageLabel(model, c)}`,
        })),
      });
    }
  },
};
