import { InstructionSyntax } from '../analysis/syntax';
import { Rule } from './rule';

/** The instructions of which only the last one of a stage counts (dispatchState's trackers). */
const ONCE: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/**
 * BuildKit lint MultipleInstructionsDisallowed (dockerfile2llb/validations.go validateUsedOnce,
 * called by dispatchCmd, dispatchEntrypoint, dispatchHealthcheck): a stage with two CMD (or
 * ENTRYPOINT, or HEALTHCHECK) uses only the last; the earlier one is reported, as BuildKit
 * reports it, with the keyword of the one that replaces it. Stages do not share these: a stage
 * built FROM another may set its own CMD.
 * Message: "Multiple CMD instructions should not be used in the same stage because only the last
 * one will be used", on the earlier instruction.
 */
export const multipleInstructionsDisallowed: Rule = {
  code: 'MultipleInstructionsDisallowed',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Multiple instructions of the same type should not be used in the same stage.',
  check(model, report) {
    for (const stage of model.stages) {
      const seen = new Map<string, InstructionSyntax>();
      for (const ins of stage.syntax.instructions) {
        if (!ONCE.has(ins.keyword)) continue;
        const earlier = seen.get(ins.keyword);
        if (earlier) {
          report({
            message: `Multiple ${ins.keywordText} instructions should not be used in the same stage because only the last one will be used: this one is replaced by the ${ins.keyword} on line ${ins.range.start.line + 1}.`,
            range: earlier.range,
            related: [{ range: ins.range, message: `the ${ins.keyword} that is used` }],
          });
        }
        seen.set(ins.keyword, ins);
      }
    }
  },
};
