/**
 * The outline: the global ARGs (under one entry when there are several), then one symbol per
 * stage with its instructions as children.
 * A stage's symbols depend only on its own syntax and are kept per syntax object, which the
 * parser reuses while the stage's text does not change: an edit rebuilds one stage's symbols.
 */
import { Range, rangeContains } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';
import { InstructionSyntax, StageSyntax } from '../analysis/syntax';

export interface StageSymbol {
  name: string;
  detail: string;
  kind: 'stage' | 'instruction' | 'arg' | 'args';
  range: Range;
  selectionRange: Range;
  children: StageSymbol[];
}

const childrenBySyntax = new WeakMap<StageSyntax, StageSymbol[]>();

/**
 * Past this many instructions the outline lists the stages (and global ARGs) without their
 * instructions: tens of thousands of entries help no one and would cost a round trip of
 * megabytes on every outline refresh. Breadcrumbs and Go to Symbol still show every stage.
 */
export const MAX_OUTLINE_INSTRUCTIONS = 5000;

export function documentSymbols(model: StageModel): StageSymbol[] {
  const out: StageSymbol[] = [];
  const args = globalArgSymbols(model);
  // Two or more global ARGs are one entry, so that the outline starts with the stages.
  if (args.length > 1) {
    const first = model.preamble.find((i) => i.keyword === 'ARG')!;
    const last = [...model.preamble].reverse().find((i) => i.keyword === 'ARG')!;
    const range = { start: first.range.start, end: last.range.end };
    out.push({ name: `global ARGs (${args.length})`, detail: '', kind: 'args', range, selectionRange: clamp(first.keywordRange, range), children: args });
  } else {
    out.push(...args);
  }
  for (const ins of model.preamble) if (ins.keyword !== 'ARG') out.push(instructionSymbol(ins));
  let instructions = 0;
  for (const stage of model.stages) instructions += stage.syntax.instructions.length;
  const withChildren = instructions <= MAX_OUTLINE_INSTRUCTIONS;
  for (const stage of model.stages) out.push(stageSymbol(stage, withChildren));
  return out;
}

/** The global ARGs, each name once (a bare `ARG NAME` again adds nothing), in file order. */
function globalArgSymbols(model: StageModel): StageSymbol[] {
  const seen = new Set<string>();
  const out: StageSymbol[] = [];
  for (const arg of model.globalArgs) {
    if (seen.has(arg.name)) continue;
    seen.add(arg.name);
    out.push({
      name: arg.name,
      detail: arg.defaultValue !== undefined ? `= ${arg.defaultValue}` : '',
      kind: 'arg',
      range: arg.range,
      selectionRange: clamp(arg.nameRange, arg.range),
      children: [],
    });
  }
  return out;
}

interface KeptStageSymbol {
  index: number;
  withChildren: boolean;
  symbol: StageSymbol;
}

const stageSymbolBySyntax = new WeakMap<StageSyntax, KeptStageSymbol>();

/**
 * A stage's symbol: its name and ranges, no detail. The outline of a 1000-stage file is 1000
 * symbols whose JSON is most of the answer's cost; a detail line would add a sixth to it. Kept per
 * stage syntax (and index, which names an unnamed stage), so an edit rebuilds one stage's symbol.
 */
function stageSymbol(stage: Stage, withChildren: boolean): StageSymbol {
  const kept = stageSymbolBySyntax.get(stage.syntax);
  if (kept && kept.index === stage.index && kept.withChildren === withChildren) return kept.symbol;
  const range = stage.syntax.range;
  const symbol: StageSymbol = {
    name: stage.name ?? `stage ${stage.index}`,
    detail: '',
    kind: 'stage',
    range,
    selectionRange: clamp(stage.nameRange ?? stage.syntax.from.keywordRange, range),
    children: withChildren ? instructionSymbols(stage.syntax) : [],
  };
  stageSymbolBySyntax.set(stage.syntax, { index: stage.index, withChildren, symbol });
  return symbol;
}

/** The stage's instructions but its FROM (the stage symbol itself stands for the FROM). */
function instructionSymbols(syntax: StageSyntax): StageSymbol[] {
  let children = childrenBySyntax.get(syntax);
  if (!children) {
    children = syntax.instructions.slice(1).map(instructionSymbol);
    childrenBySyntax.set(syntax, children);
  }
  return children;
}

function instructionSymbol(ins: InstructionSyntax): StageSymbol {
  return {
    name: ins.summary ? `${ins.keywordText} ${ins.summary}` : ins.keywordText,
    detail: '',
    kind: 'instruction',
    range: ins.range,
    selectionRange: clamp(ins.keywordRange, ins.range),
    children: [],
  };
}

/** `inner` if it lies inside `outer` (LSP requires it of a selection range), else the start of `outer`. */
function clamp(inner: Range, outer: Range): Range {
  if (rangeContains(outer, inner.start) && rangeContains(outer, inner.end)) return inner;
  return { start: outer.start, end: outer.start };
}
