import { Rule } from './rule';

/** BuildKit lint StageNameCasing: names are lower-cased, so upper case only misleads. */
export const stageNameCasing: Rule = {
  code: 'StageNameCasing',
  buildkitCheck: true,
  severity: 'warning',
  description: 'A stage name with upper-case letters (BuildKit lower-cases it).',
  check(model, report) {
    for (const stage of model.stages) {
      if (stage.name === undefined || stage.name === stage.key) continue;
      report({
        message: `Stage name '${stage.name}' should be lowercase: BuildKit knows it as '${stage.key}'.`,
        range: stage.nameRange!,
        data: { replacement: stage.key },
      });
    }
  },
};
