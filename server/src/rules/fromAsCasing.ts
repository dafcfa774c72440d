import { sameRange } from '../analysis/positions';
import { Rule } from './rule';

function casing(word: string): 'upper' | 'lower' | 'mixed' {
  if (word === word.toUpperCase()) return 'upper';
  if (word === word.toLowerCase()) return 'lower';
  return 'mixed';
}

/** BuildKit lint FromAsCasing: `AS` should be cased like its `FROM`. */
export const fromAsCasing: Rule = {
  code: 'FromAsCasing',
  buildkitCheck: true,
  severity: 'warning',
  description: "'AS' and 'FROM' keywords' casing differ.",
  check(model, report) {
    for (const stage of model.stages) {
      const from = stage.syntax.from;
      const as = from.asKeyword;
      if (!as) continue;
      const fromCase = casing(from.keywordText);
      const asCase = casing(as.text);
      // A mixed-case FROM is left to ConsistentInstructionCasing (instructions/parse.go
      // doesFromCaseMatchAsCase); otherwise AS must be cased like FROM.
      if (fromCase === 'mixed' || fromCase === asCase) continue;
      const expected = fromCase === 'lower' ? 'as' : 'AS';
      report({
        message: `'${as.text}' and '${from.keywordText}' keywords' casing do not match: write '${expected}'.`,
        range: as.range,
        data: { replacement: expected },
      });
    }
  },
  /** Rewrites the keyword; changes nothing else, so safe for fix-all. */
  hasFixAll: true,
  fixes(model, finding) {
    const stage = model.stageAt(finding.range.start);
    if (!stage?.syntax.from.asKeyword || !sameRange(stage.syntax.from.asKeyword.range, finding.range)) return [];
    const expected = finding.data?.replacement;
    if (expected !== 'AS' && expected !== 'as') return [];
    return [{ title: `Write '${expected}'`, kind: 'quickfix', edits: [{ range: finding.range, newText: expected }], isPreferred: true, fixAll: true }];
  },
};
