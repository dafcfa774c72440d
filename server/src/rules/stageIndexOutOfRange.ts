import { Rule } from './rule';

/** `--from=N` with no stage N (BuildKit: "invalid stage index"). */
export const stageIndexOutOfRange: Rule = {
  code: 'StageIndexOutOfRange',
  buildkitCheck: false,
  severity: 'error',
  description: 'A numeric --from=N with no stage N.',
  check(model, report) {
    const count = model.stages.length;
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'index-out-of-range') continue;
      report({
        message: `--from=${ref.value}: there is no stage ${ref.value}. Stages are numbered from 0 and this file has ${count} (0 to ${count - 1}).`,
        range: ref.range,
      });
    }
  },
};
