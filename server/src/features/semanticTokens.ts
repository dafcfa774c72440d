/**
 * Semantic tokens for what the TextMate grammar cannot know: whether `FROM name` names a stage
 * or an image. Every stage name after AS and every reference that resolves to a stage (FROM,
 * COPY --from, mount from=) is a `class` token; declarations carry the `declaration` modifier.
 * Images, numeric indices and unresolved names get no token, so the grammar's colours stay.
 * Linear in the number of stages and references.
 */
import { Range } from '../analysis/positions';
import { StageModel } from '../analysis/stageModel';

export { SEMANTIC_TOKEN_MODIFIERS, SEMANTIC_TOKEN_TYPES } from './semanticTokenLegend';

// Indices into the legend (semanticTokenLegend.ts).
const CLASS = 0;
const DECLARATION = 1 << 0;

interface Token {
  range: Range;
  modifiers: number;
}

/** The LSP encoding: five integers per token, positions relative to the previous token. */
export function semanticTokens(model: StageModel): number[] {
  const tokens: Token[] = [];
  for (const stage of model.stages) {
    if (stage.baseRef && stage.baseRef.resolution.kind === 'stage') tokens.push({ range: stage.baseRef.range, modifiers: 0 });
    if (stage.nameRange) tokens.push({ range: stage.nameRange, modifiers: DECLARATION });
    for (const r of stage.refs) {
      if (r.kind === 'from' || r.numeric || r.resolution.kind !== 'stage') continue;
      // A name continued over lines is a token on each of them.
      if (r.lineParts) for (const part of r.lineParts) tokens.push({ range: part, modifiers: 0 });
      else tokens.push({ range: r.range, modifiers: 0 });
    }
  }
  // Within a stage the FROM base and name come first, then its instructions: already in order
  // except where a reference sits on the FROM line itself, so sort to be sure.
  tokens.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  const data: number[] = [];
  let line = 0;
  let character = 0;
  for (const t of tokens) {
    const { start, end } = t.range;
    // Tokens cannot span lines (a FROM base continued over lines is left to the grammar).
    if (start.line !== end.line || end.character <= start.character) continue;
    const deltaLine = start.line - line;
    const deltaStart = deltaLine === 0 ? start.character - character : start.character;
    data.push(deltaLine, deltaStart, end.character - start.character, CLASS, t.modifiers);
    line = start.line;
    character = start.character;
  }
  return data;
}
