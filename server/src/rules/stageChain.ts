/** The stages a stage is built FROM in this file, for the checks that look up that chain. */
import { Stage, StageModel } from '../analysis/stageModel';

/**
 * The earlier stage this one is built FROM, as BuildKit finds it (a base built from build
 * arguments: the stage it names with their defaults), or undefined for an image.
 */
export function parentStage(model: StageModel, stage: Stage): Stage | undefined {
  const r = stage.baseRef?.resolution;
  if (r?.kind === 'stage' && r.stage < stage.index) return model.stages[r.stage];
  if (r?.kind === 'variable' && r.withDefaults !== undefined && r.withDefaults < stage.index) return model.stages[r.withDefaults];
  return undefined;
}

/**
 * For each stage, whether a stage it is built FROM (directly or not) holds an instruction with
 * `keyword`: what it inherits (dockerfile2llb dispatchState.init copies the base stage's image
 * config and state). One pass in file order, since a base is always an earlier stage.
 */
export function ancestorsWith(model: StageModel, keyword: string): boolean[] {
  const own = model.stages.map((s) => s.syntax.instructions.some((i) => i.keyword === keyword));
  const out: boolean[] = [];
  for (const stage of model.stages) {
    const p = parentStage(model, stage);
    out.push(p !== undefined && (own[p.index] || out[p.index]));
  }
  return out;
}
