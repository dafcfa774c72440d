import { Rule } from './rule';

/** `FROM [--platform=P] IMAGE [AS NAME]`: one or three arguments, the second being AS. */
export const fromArguments: Rule = {
  code: 'FromArguments',
  buildkitCheck: false,
  severity: 'error',
  description: 'FROM takes an image and optionally AS and a stage name.',
  check(model, report) {
    for (const stage of model.stages) {
      const from = stage.syntax.from;
      const args = from.args;
      if (args.length === 1) continue;
      if (args.length === 3 && from.asKeyword) continue;
      if (args.length === 0) {
        report({ message: 'FROM needs an image or a stage to start from.', range: from.keywordRange });
      } else if (args.length === 3 || (args.length === 2 && !from.asKeyword)) {
        report({
          message: `Expected "AS" after the image, found ${JSON.stringify(args[1].text)}: FROM takes an image and optionally "AS name".`,
          range: args[1].range,
        });
      } else if (args.length === 2) {
        report({ message: 'A stage name is missing after AS.', range: args[1].range });
      } else {
        report({
          message: `FROM takes one or three arguments (IMAGE [AS NAME]), found ${args.length}.`,
          range: { start: args[3].range.start, end: args[args.length - 1].range.end },
        });
      }
    }
  },
};
