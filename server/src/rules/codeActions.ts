/**
 * Code actions as plain data: the quick fixes of a finding (each rule writes its own, beside
 * its check), the "Name this stage" refactoring on an unnamed stage's FROM line, and the
 * fix-all edits (every fix a rule marks safe for the whole file).
 */
import { Range, comparePositions } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import { CodeFix, TextEdit } from '../edits/codeFix';
import { nameStageFix } from '../edits/nameStage';
import { SourceText, sortedEdits } from '../edits/sourceText';
import { Finding, FixOptions } from './rule';
import { ruleByCode } from './runRules';

/** The fixes the finding's rule offers for it. */
export function fixesFor(model: StageModel, finding: Finding, source?: SourceText, options?: FixOptions): CodeFix[] {
  const rule = ruleByCode(finding.code);
  if (!rule?.fixes) return [];
  return rule.fixes(model, finding, source, 'all', options).map((f) => ({ ...f, edits: sortedEdits(f.edits) }));
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
 * findings' order; one whose edits conflict with an edit already taken is left out whole.
 * Only rules with fix-all fixes are asked, and only for those (fix-all on a file with ten
 * thousand findings computes no fix it does not apply).
 */
export function fixAllEdits(model: StageModel, findings: readonly Finding[], source?: SourceText): TextEdit[] {
  const fixes: CodeFix[] = [];
  for (const finding of findings) {
    const rule = ruleByCode(finding.code);
    if (!rule?.fixes || !rule.hasFixAll) continue;
    const fix = rule.fixes(model, finding, source, 'fixAll').find((f) => f.fixAll);
    if (fix) fixes.push(fix);
  }
  const conflicts = conflictsBetween(fixes);
  const taken = new Set<number>();
  const edits: TextEdit[] = [];
  fixes.forEach((fix, i) => {
    if (conflicts.get(i)?.some((j) => taken.has(j))) return;
    taken.add(i);
    edits.push(...fix.edits);
  });
  return sortedEdits(edits);
}

/**
 * For each fix, the fixes with an edit that conflicts with one of its own: ranges that share
 * text, or two edits that start at the same place (their order would be a guess). One sweep over
 * the edits in file order, so a file of fixes that touch nothing in common costs n log n.
 */
function conflictsBetween(fixes: readonly CodeFix[]): Map<number, number[]> {
  const all: { edit: TextEdit; fix: number }[] = [];
  fixes.forEach((f, fix) => f.edits.forEach((edit) => all.push({ edit, fix })));
  all.sort((a, b) => comparePositions(a.edit.range.start, b.edit.range.start));
  const conflicts = new Map<number, number[]>();
  const link = (a: number, b: number) => {
    if (a === b) return;
    (conflicts.get(a) ?? conflicts.set(a, []).get(a)!).push(b);
    (conflicts.get(b) ?? conflicts.set(b, []).get(b)!).push(a);
  };
  // Edits that start at or before the current one and may still reach past its start.
  let open: { edit: TextEdit; fix: number }[] = [];
  for (const e of all) {
    const start = e.edit.range.start;
    open = open.filter((o) => comparePositions(o.edit.range.end, start) > 0 || comparePositions(o.edit.range.start, start) === 0);
    for (const o of open) link(o.fix, e.fix);
    open.push(e);
  }
  return conflicts;
}
