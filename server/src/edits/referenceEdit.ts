/**
 * The one way to write another name over a stage reference: the reference's range covers its
 * quotes and escapes, and a name needs neither, so the name alone replaces it, followed by the
 * quote characters that keep the rest of the flag word paired (flagReader.ts wordToken). Used by
 * rename and by every quick fix that rewrites a reference.
 */
import { Range } from '../analysis/positions';
import { StageRefSyntax } from '../analysis/syntax';

export interface ReferenceEdit {
  range: Range;
  newText: string;
}

export function referenceEdit(ref: Pick<StageRefSyntax, 'range' | 'quoteSuffix'>, name: string): ReferenceEdit {
  return { range: ref.range, newText: name + ref.quoteSuffix };
}
