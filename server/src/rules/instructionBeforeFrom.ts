import { Rule } from './rule';

/** Only ARG may come before the first FROM (BuildKit: "no build stage in current context"). */
export const instructionBeforeFrom: Rule = {
  code: 'InstructionBeforeFrom',
  buildkitCheck: false,
  severity: 'error',
  description: 'An instruction other than ARG before the first FROM.',
  check(model, report) {
    if (model.stages.length === 0) return;
    for (const ins of model.preamble) {
      if (ins.keyword === 'ARG') continue;
      report({
        message: `${ins.keywordText} before the first FROM: only ARG may come before a build stage starts.`,
        range: ins.keywordRange,
      });
    }
  },
};
