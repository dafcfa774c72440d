import { Rule } from './rule';

/** A file without FROM builds nothing (BuildKit: "file with no instructions" / "no build stage"). */
export const noStages: Rule = {
  code: 'NoStages',
  buildkitCheck: false,
  severity: 'error',
  description: 'The Dockerfile has no FROM instruction, so there is nothing to build.',
  check(model, report) {
    // An empty or comment-only file is left alone: it is usually one being written.
    const first = model.preamble[0];
    if (model.stages.length > 0 || !first) return;
    report({
      message: 'This Dockerfile has no FROM instruction: there are no stages to build.',
      range: first.keywordRange,
    });
  },
};
