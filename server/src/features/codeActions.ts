/**
 * Code actions as plain data: the quick fixes of a finding (each rule writes its own, beside
 * its check), the "Name this stage" refactoring on an unnamed stage's FROM line, and the
 * fix-all edits (every fix a rule marks safe for the whole file).
 */
import { Range } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import { CodeFix, Finding, TextEdit } from '../rules/rule';
import { ruleByCode } from '../rules/runRules';
import { SourceText, sortedEdits } from '../rules/sourceText';
import { nameStageFix } from './nameStage';

/** The fixes the finding's rule offers for it. */
export function fixesFor(model: StageModel, finding: Finding, source?: SourceText): CodeFix[] {
  const rule = ruleByCode(finding.code);
  if (!rule?.fixes) return [];
  return rule.fixes(model, finding, source).map((f) => ({ ...f, edits: sortedEdits(f.edits) }));
}

/** "Name this stage" when `range` touches the FROM instruction of an unnamed stage. */
export function nameStageRefactor(model: StageModel, range: Range): CodeFix | undefined {
  const stage = model.stageAt(range.start);
  if (!stage || stage.name !== undefined) return undefined;
  const from = stage.syntax.from.range;
  if (range.start.line > from.end.line || range.end.line < from.start.line) return undefined;
  return nameStageFix(model, stage.index);
}

/**
 * The edits of every fix-all fix of `findings`, in file order. Fixes are taken in the
 * findings' order; one whose edits overlap an edit already taken is left out whole.
 */
export function fixAllEdits(model: StageModel, findings: readonly Finding[], source?: SourceText): TextEdit[] {
  const taken: TextEdit[] = [];
  for (const finding of findings) {
    for (const fix of fixesFor(model, finding, source)) {
      if (!fix.fixAll) continue;
      if (fix.edits.some((e) => taken.some((t) => overlaps(e.range, t.range)))) continue;
      taken.push(...fix.edits);
      break;
    }
  }
  return sortedEdits(taken);
}

/**
 * Two edits conflict when their ranges share text, or when both start at the same place and
 * one of them inserts there (the order of the two would be a guess).
 */
function overlaps(a: Range, b: Range): boolean {
  const before = (p: Range['start'], q: Range['start']) => p.line < q.line || (p.line === q.line && p.character < q.character);
  const same = (p: Range['start'], q: Range['start']) => p.line === q.line && p.character === q.character;
  if (same(a.start, b.start)) return true;
  return before(a.start, b.end) && before(b.start, a.end);
}
