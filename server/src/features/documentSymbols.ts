/**
 * The outline: global ARGs, then one symbol per stage with its instructions as children.
 *
 * The model keeps no instruction arguments, so the instructions' summaries are read from the
 * document text when the caller passes it; without it they are built from what the model knows
 * (stage references and ARG names).
 */
import { Range, rangeContains } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';
import { InstructionSyntax } from '../analysis/syntax';

export interface StageSymbol {
  name: string;
  detail: string;
  kind: 'stage' | 'instruction' | 'arg';
  range: Range;
  selectionRange: Range;
  children: StageSymbol[];
}

/** Longest instruction summary shown (the keyword not counted). */
const SUMMARY_LENGTH = 40;

export function documentSymbols(model: StageModel, text?: string): StageSymbol[] {
  const lines = text === undefined ? undefined : text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
  const out: StageSymbol[] = [];
  for (const ins of model.preamble) {
    if (ins.keyword === 'ARG') {
      for (const arg of model.globalArgs) {
        if (!rangeContains(ins.range, arg.nameRange.start)) continue;
        const range = arg.range;
        out.push({
          name: arg.name,
          detail: arg.defaultValue !== undefined ? `= ${arg.defaultValue}` : '',
          kind: 'arg',
          range,
          selectionRange: clamp(arg.nameRange, range),
          children: [],
        });
      }
    } else {
      out.push(instructionSymbol(model, undefined, ins, lines));
    }
  }
  for (const stage of model.stages) out.push(stageSymbol(model, stage, lines));
  return out;
}

function stageSymbol(model: StageModel, stage: Stage, lines: string[] | undefined): StageSymbol {
  const range = stage.syntax.range;
  const base = stage.baseRef;
  const baseText = base === undefined ? '' : base.resolution.kind === 'stage' ? `⬑ ${base.value}` : base.value;
  return {
    name: stage.name ?? `stage ${stage.index}`,
    detail: baseText ? `${baseText} · #${stage.index}` : `#${stage.index}`,
    kind: 'stage',
    range,
    selectionRange: clamp(stage.nameRange ?? stage.syntax.from.keywordRange, range),
    // The FROM instruction is the stage symbol itself.
    children: stage.syntax.instructions.slice(1).map((ins) => instructionSymbol(model, stage, ins, lines)),
  };
}

function instructionSymbol(model: StageModel, stage: Stage | undefined, ins: InstructionSyntax, lines: string[] | undefined): StageSymbol {
  const summary = lines ? summaryFromText(model, ins, lines) : summaryFromModel(model, stage, ins);
  return {
    name: summary ? `${ins.keywordText} ${summary}` : ins.keywordText,
    detail: '',
    kind: 'instruction',
    range: ins.range,
    selectionRange: clamp(ins.keywordRange, ins.range),
    children: [],
  };
}

/**
 * The instruction's arguments on one line: continuation lines joined, comment lines inside
 * the continuation dropped, heredoc bodies left out, blanks collapsed, then truncated.
 */
function summaryFromText(model: StageModel, ins: InstructionSyntax, lines: string[]): string {
  const first = ins.keywordRange.end;
  // A heredoc's body is data: stop at the line of the first `<<EOF`.
  const lastLine = Math.min(ins.range.end.line, ...ins.heredocs.map((h) => h.start.line), lines.length - 1);
  const pieces: string[] = [];
  for (let line = first.line; line <= lastLine; line++) {
    let t = lines[line];
    if (line === ins.range.end.line) t = t.slice(0, ins.range.end.character);
    if (line === first.line) t = t.slice(first.character);
    else if (/^\s*#/.test(t)) continue;
    if (line < ins.range.end.line) t = stripContinuation(t, model.escapeChar);
    pieces.push(t);
  }
  return truncate(pieces.join(' ').replace(/\s+/g, ' ').trim());
}

function stripContinuation(line: string, escapeChar: string): string {
  const trimmed = line.replace(/\s+$/, '');
  return trimmed.endsWith(escapeChar) ? trimmed.slice(0, -escapeChar.length) : trimmed;
}

/** Without the text: the stage references and ARG names the instruction holds. */
function summaryFromModel(model: StageModel, stage: Stage | undefined, ins: InstructionSyntax): string {
  const inside = (r: Range) => rangeContains(ins.range, r.start) && rangeContains(ins.range, r.end);
  const parts: string[] = [];
  for (const r of stage?.refs ?? []) {
    if (r.kind === 'from' || !inside(r.range)) continue;
    parts.push(r.kind === 'mount' ? `--mount=from=${r.value}` : `--from=${r.value}`);
  }
  const args = stage ? stage.syntax.args : model.globalArgs;
  for (const a of args) if (inside(a.nameRange)) parts.push(a.name);
  return truncate(parts.join(' '));
}

/** At most SUMMARY_LENGTH characters, cut after a whole word when one ends near the limit. */
function truncate(s: string): string {
  if (s.length <= SUMMARY_LENGTH) return s;
  const cut = s.slice(0, SUMMARY_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return (space >= SUMMARY_LENGTH - 12 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

/** `inner` if it lies inside `outer` (LSP requires it of a selection range), else the start of `outer`. */
function clamp(inner: Range, outer: Range): Range {
  if (rangeContains(outer, inner.start) && rangeContains(outer, inner.end)) return inner;
  return { start: outer.start, end: outer.start };
}
