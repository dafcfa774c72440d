/** Words for a reference in messages: what kind of reference, held by which stage. */
import { Range } from '../analysis/positions';
import { StageModel, StageRef } from '../analysis/stageModel';

export function refLabel(ref: StageRef): string {
  switch (ref.kind) {
    case 'from': return `FROM ${ref.value}`;
    case 'copy': return `--from=${ref.value}`;
    case 'add': return `ADD --from=${ref.value}`;
    case 'mount': return `from=${ref.value}`;
    case 'onbuild': return `ONBUILD --from=${ref.value}`;
  }
}

export function stageLabel(model: StageModel, index: number): string {
  const stage = model.stages[index];
  return stage.name !== undefined ? `"${stage.name}" (stage ${index})` : `stage ${index}`;
}

/** The stage's name in BuildKit's own messages: lower-cased, or `stage-N` (dispatchState.stageName). */
export function buildkitStageName(model: StageModel, index: number): string {
  return model.stages[index].key ?? `stage-${index}`;
}

/** From the instruction's keyword to the end of the reference, when both are on one line. */
export function keywordToValueRange(ref: StageRef): Range {
  return ref.instructionRange.start.line === ref.range.start.line
    ? { start: ref.instructionRange.start, end: ref.range.end }
    : ref.range;
}
