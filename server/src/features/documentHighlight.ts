/**
 * Document highlights: the stage's `AS name` (a write) and every reference BuildKit resolves
 * to it (reads), with the cursor on either. A pure function of the model.
 */
import { Position, Range, comparePositions } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import { stageAtCursor } from './references';
import { isOnVariable, variableHighlights } from './variables';

export interface StageHighlight {
  range: Range;
  kind: 'read' | 'write';
}

export function documentHighlights(model: StageModel, pos: Position): StageHighlight[] {
  if (isOnVariable(model, pos)) return variableHighlights(model, pos);
  const stage = stageAtCursor(model, pos);
  if (!stage) return [];
  const out: StageHighlight[] = stage.incoming.map((r) => ({ range: r.range, kind: 'read' }));
  if (stage.nameRange) out.push({ range: stage.nameRange, kind: 'write' });
  return out.sort((a, b) => comparePositions(a.range.start, b.range.start));
}
