/**
 * Go to definition: from a stage reference to the stage BuildKit resolves it to.
 * A pure function of the model; the protocol layer turns the links into LSP LocationLinks.
 */
import { Position, Range } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';
import { variableBeforeStage, variableDefinition } from './variables';

export interface StageLink {
  /** The reference's value (or the `AS name` itself). */
  originRange: Range;
  /** The whole stage: its FROM line to the end of its last instruction. */
  targetRange: Range;
  /** The name after AS, or the FROM instruction of an unnamed stage. */
  targetSelectionRange: Range;
}

export function definition(model: StageModel, pos: Position): StageLink[] {
  // On a variable (`$NAME`, or an ARG or ENV's name): its declaration.
  if (variableBeforeStage(model, pos)) return variableDefinition(model, pos);
  const ref = model.refAt(pos);
  if (ref) {
    const res = ref.resolution;
    // A problem (self, later, cycle) is an error at build time, but the reference still
    // names that stage: navigating to it is how the user fixes it.
    if (res.kind === 'stage') return [link(ref.range, model.stages[res.stage])];
    // `FROM build-${VARIANT}`: every earlier stage the build arguments could make it name.
    if (res.kind === 'variable') return res.candidates.map((i) => link(ref.range, model.stages[i]));
    // An ONBUILD trigger that runs in this file, in the build of a stage built on its stage.
    if (res.kind === 'deferred' && res.stage !== undefined) return [link(ref.range, model.stages[res.stage])];
    // Images, other ONBUILD triggers (resolved in a child image's build) and references BuildKit rejects.
    return [];
  }
  // On `AS name`: the declaration itself, so editors do not report "no definition found".
  const declared = model.declarationAt(pos);
  if (declared?.nameRange) return [link(declared.nameRange, declared)];
  return [];
}

function link(originRange: Range, stage: Stage): StageLink {
  return {
    originRange,
    targetRange: stage.syntax.range,
    targetSelectionRange: stage.nameRange ?? stage.syntax.from.range,
  };
}
