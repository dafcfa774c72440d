import { comparePositions } from '../analysis/positions';
import { ArgDeclaration, Token } from '../analysis/syntax';
import { Rule } from './rule';

/**
 * BuildKit lint InvalidDefinitionDescription, experimental: it runs only with
 * `# check=experimental=InvalidDefinitionDescription` (or `experimental=all`)
 * (instructions/parse.go validateDefinitionDescription, for a FROM with a stage name and for
 * every ARG): the comment right above is taken as the description that `--call=outline` and
 * `--call=targets` show, so its first word should be the stage's name (lower-cased, as BuildKit
 * keeps it) or one of the ARG's names. The comment BuildKit takes is the last comment line since
 * the previous instruction (parser.go Parse: a `#` alone forgets the ones before it; blank lines
 * do not, whatever the reference page says).
 * Message: "Comment for FROM should follow the format: `# build <description>`", on the keyword,
 * with the comment as related.
 */
export const invalidDefinitionDescription: Rule = {
  code: 'InvalidDefinitionDescription',
  buildkitCheck: true,
  experimental: true,
  severity: 'warning',
  description: 'Comment for build stage or argument should follow the format: `# <arg/stage name> <description>`.',
  check(model, report) {
    const check = (instruction: 'FROM' | 'ARG', names: string[], comment: Token | undefined, range: Token['range']) => {
      if (!comment || names.length === 0 || names.includes(comment.text.split(' ')[0])) return;
      const example = names.length > 1 ? '<arg_key>' : names[0];
      report({
        message: `Comment for ${instruction} should follow the format: \`# ${example} <description>\`. If this is not intended to be a description comment, add an empty line or comment between the instruction and the comment.`,
        range,
        related: [{ range: comment.range, message: `the comment BuildKit takes as the description of this ${instruction === 'FROM' ? 'stage' : 'argument'}` }],
      });
    };
    const groups: [typeof model.preamble, readonly ArgDeclaration[]][] = [[model.preamble, model.globalArgs]];
    model.stages.forEach((stage, i) => {
      const comment = i === 0 ? model.preambleComment : model.stages[i - 1].syntax.trailingComment;
      if (stage.key !== undefined) check('FROM', [stage.key], comment, stage.syntax.from.keywordRange);
      groups.push([stage.syntax.instructions, stage.syntax.args]);
    });
    // The declarations come in the order of their ARG instructions: one pass over both.
    for (const [instructions, args] of groups) {
      let next = 0;
      for (const ins of instructions) {
        if (ins.keyword !== 'ARG') continue;
        while (next < args.length && comparePositions(args[next].range.start, ins.range.start) < 0) next++;
        const names: string[] = [];
        while (next < args.length && comparePositions(args[next].range.start, ins.range.end) <= 0) names.push(args[next++].name);
        check('ARG', names, ins.facts?.comment, ins.keywordRange);
      }
    }
  },
};
