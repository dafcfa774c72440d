/**
 * Find references: the `AS name` of a stage and every reference BuildKit resolves to it,
 * with the cursor on either. A pure function of the model.
 */
import { Position, Range, comparePositions } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';
import { isOnVariable, variableReferences } from './variables';

/**
 * The stage the cursor designates: the stage a reference under the cursor resolves to
 * (BuildKit's resolution, problems included; an ONBUILD trigger by the stage it finds where it
 * runs in this file), or the stage whose `AS name` is under it. Images, build-argument bases,
 * other ONBUILD triggers and rejected references designate no stage.
 */
export function stageAtCursor(model: StageModel, pos: Position): Stage | undefined {
  const ref = model.refAt(pos);
  if (ref) {
    const res = ref.resolution;
    if (res.kind === 'stage') return model.stages[res.stage];
    return res.kind === 'deferred' && res.stage !== undefined ? model.stages[res.stage] : undefined;
  }
  return model.declarationAt(pos);
}

export function references(model: StageModel, pos: Position, includeDeclaration: boolean): Range[] {
  if (isOnVariable(model, pos)) return variableReferences(model, pos, includeDeclaration);
  const stage = stageAtCursor(model, pos);
  if (!stage) return [];
  const ranges = stage.incoming.map((r) => r.range);
  if (includeDeclaration && stage.nameRange) ranges.push(stage.nameRange);
  return sortRanges(ranges);
}

/** File order. */
export function sortRanges<T extends Range>(ranges: T[]): T[] {
  return ranges.sort((a, b) => comparePositions(a.start, b.start) || comparePositions(a.end, b.end));
}
