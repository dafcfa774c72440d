import { comparePositions, rangeContains } from '../analysis/positions';
import { Rule } from './rule';
import { keywordToValueRange } from './referenceDescriptions';

/** ADD has no --from flag in any BuildKit version: the build fails with "unknown flag: from". */
export const addFromFlag: Rule = {
  code: 'AddFromFlag',
  buildkitCheck: false,
  severity: 'error',
  description: 'ADD --from, a flag ADD does not have (COPY --from copies from a stage).',
  check(model, report) {
    for (const ref of model.refs) {
      if (ref.resolution.kind !== 'invalid' || ref.resolution.reason !== 'add-from') continue;
      report({
        message: `ADD has no --from flag (the build fails with "unknown flag: from"): use COPY --from=${ref.value} to copy from a stage or image.`,
        range: keywordToValueRange(ref),
      });
    }
  },
  /**
   * ADD → COPY, keeping the keyword's case. Not for fix-all: COPY does not fetch URLs or
   * unpack archives as ADD does, so the user should look at each.
   */
  fixes(model, finding) {
    const ref = model.refs.find((r) => r.kind === 'add' && rangeContains(finding.range, r.range.start));
    if (!ref) return [];
    const stage = model.stages[ref.owner];
    const ins = stage.syntax.instructions.find((i) => comparePositions(i.range.start, ref.instructionRange.start) === 0);
    if (!ins || ins.keyword !== 'ADD') return [];
    const copy = ins.keywordText === ins.keywordText.toLowerCase() ? 'copy' : 'COPY';
    return [{ title: 'Use COPY --from', kind: 'quickfix', edits: [{ range: ins.keywordRange, newText: copy }], isPreferred: true }];
  },
};
