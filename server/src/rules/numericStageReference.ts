import { referenceEdit } from '../edits/referenceEdit';
import { sameRange } from '../analysis/positions';
import { isValidStageName } from '../analysis/stageNames';
import { nameStageEdits } from '../edits/nameStage';
import { CodeFix, Rule, quote } from './rule';

/** `--from=N` works, but breaks silently when stages move; a name says what is meant. */
export const numericStageReference: Rule = {
  code: 'NumericStageReference',
  buildkitCheck: false,
  severity: 'information',
  description: 'A --from=N that refers to a stage by its index rather than its name.',
  check(model, report) {
    for (const ref of model.refs) {
      if (!ref.numeric || ref.resolution.kind !== 'stage' || ref.resolution.problem) continue;
      const stage = model.stages[ref.resolution.stage];
      report({
        message: stage.name
          ? `--from=${ref.value} refers to stage ${quote(stage.name)} by index: use its name, which stays right when stages move.`
          : `--from=${ref.value} refers to unnamed stage ${stage.index} by index: name the stage (FROM … AS name) and use the name.`,
        range: ref.range,
        severity: stage.name ? 'information' : 'hint',
        related: [{ range: stage.nameRange ?? stage.syntax.from.range, message: `Stage ${stage.index}` }],
        data: { stage: stage.index },
      });
    }
  },
  /**
   * A named stage: write its name (lower-cased, as BuildKit keys it) instead of the index;
   * offered only when `--from=name` finds that very stage (with a duplicate name it finds the
   * last one), and safe for fix-all. An unnamed stage: name it first (features/nameStage.ts)
   * and rewrite every index that points at it; not for fix-all, it invents a name.
   */
  hasFixAll: true,
  fixes(model, finding, _source, scope = 'all') {
    const ref = model.refAt(finding.range.start);
    if (!ref?.numeric || !sameRange(ref.range, finding.range) || ref.resolution.kind !== 'stage') return [];
    const stage = model.stages[ref.resolution.stage];
    if (stage.name !== undefined && stage.key !== undefined) {
      if (!isValidStageName(stage.name) || model.stageByKey.get(stage.key) !== stage.index) return [];
      return [{ title: `Use the stage name '${stage.key}'`, kind: 'quickfix', edits: [referenceEdit(ref, stage.key)], isPreferred: true, fixAll: true }];
    }
    if (scope === 'fixAll') return [];
    const named = nameStageEdits(model, stage.index);
    if (!named) return [];
    const fix: CodeFix = { title: `Name stage ${stage.index} '${named.name}' and use the name`, kind: 'quickfix', edits: named.edits, isPreferred: true };
    return [fix];
  },
};
