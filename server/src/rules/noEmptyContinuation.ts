import { sameRange } from '../analysis/positions';
import { InstructionSyntax } from '../analysis/syntax';
import { StageModel } from '../analysis/stageModel';
import { Rule } from './rule';

/**
 * BuildKit lint NoEmptyContinuation (parser/parser.go Parse records the warning, dockerfile2llb/
 * convert.go toDispatchState reports it): a blank line inside a continued instruction is skipped
 * today and will be an error in a future release (comment lines are fine). Reported where BuildKit
 * reports it, on the line where the continuation ends, with each blank line as related.
 * Message: "Empty continuation line".
 */
export const noEmptyContinuation: Rule = {
  code: 'NoEmptyContinuation',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Empty continuation lines will become errors in a future release.',
  check(model, report) {
    for (const ins of allInstructions(model)) {
      const empty = ins.facts?.emptyContinuation;
      if (!empty) continue;
      const n = empty.lines.length;
      report({
        message: `Empty continuation line: ${n === 1 ? 'a blank line continues' : `${n} blank lines continue`} this ${ins.keyword} (line ${empty.lines.map((p) => p.line + 1).join(', ')}); a future release will fail on ${n === 1 ? 'it' : 'them'}. Remove ${n === 1 ? 'it' : 'them'}, or write a comment there.`,
        range: empty.lastLine,
        related: empty.lines.map((p) => ({ range: { start: p, end: p }, message: 'empty continuation line' })),
      });
    }
  },
  /**
   * Removes the blank lines: the instruction reads the same, so the build is the same (safe for
   * fix-all).
   */
  hasFixAll: true,
  fixes(model, finding) {
    const ins = allInstructions(model).find((i) => i.facts?.emptyContinuation && sameRange(i.facts.emptyContinuation.lastLine, finding.range));
    const empty = ins?.facts?.emptyContinuation;
    if (!empty) return [];
    return [{
      title: empty.lines.length === 1 ? 'Remove the empty continuation line' : 'Remove the empty continuation lines',
      kind: 'quickfix',
      edits: empty.lines.map((p) => ({ range: { start: { line: p.line, character: 0 }, end: { line: p.line + 1, character: 0 } }, newText: '' })),
      isPreferred: true,
      fixAll: true,
    }];
  },
};

function allInstructions(model: StageModel): InstructionSyntax[] {
  const out = [...model.preamble];
  for (const s of model.stages) for (const i of s.syntax.instructions) out.push(i);
  return out;
}
