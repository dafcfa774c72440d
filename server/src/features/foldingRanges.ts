/**
 * Folding: each stage (kind `region`, so "fold all regions" folds every stage), each
 * instruction that spans several lines and each here-document.
 */
import { Range } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';
import { InstructionSyntax } from '../analysis/syntax';

export interface StageFoldingRange {
  startLine: number;
  endLine: number;
  kind?: 'region' | 'comment';
}

export function foldingRanges(model: StageModel): StageFoldingRange[] {
  const byKey = new Map<string, StageFoldingRange>();
  const add = (r: Range, kind?: 'region') => {
    const startLine = r.start.line;
    const endLine = lastLine(r);
    if (endLine <= startLine) return;
    const key = `${startLine}:${endLine}`;
    const existing = byKey.get(key);
    // A stage that is one multi-line instruction folds once, as the stage.
    if (!existing) byKey.set(key, kind ? { startLine, endLine, kind } : { startLine, endLine });
    else if (kind && !existing.kind) existing.kind = kind;
  };
  const addInstruction = (ins: InstructionSyntax) => {
    add(ins.range);
    for (const h of ins.heredocs) add(h);
  };
  for (const ins of model.preamble) addInstruction(ins);
  for (const stage of model.stages) {
    add(stage.syntax.range, 'region');
    for (const ins of stage.syntax.instructions) addInstruction(ins);
  }
  return [...byKey.values()].sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** The last line with content: a range ending at the start of a line stops on the line before. */
function lastLine(r: Range): number {
  return r.end.character === 0 && r.end.line > r.start.line ? r.end.line - 1 : r.end.line;
}
