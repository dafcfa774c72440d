import { Rule } from './rule';
import { keywordToValueRange } from './referenceDescriptions';

/** `--from=` or `from=` with nothing after it. */
export const emptyFromFlag: Rule = {
  code: 'EmptyFromFlag',
  buildkitCheck: false,
  severity: 'error',
  description: 'A --from or from= without a value.',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'empty') continue;
      report({ message: 'Missing stage name or image after "from=".', range: keywordToValueRange(ref) });
    }
  },
};
