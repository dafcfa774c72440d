/**
 * Rename a stage from the cursor: on its `AS name` or on any reference that resolves to it.
 * The edits and the refusals are edits/renameStage.ts's; this file finds what the cursor is on
 * and says why nothing can be renamed there. A pure function of the model.
 */
import { Position, Range, rangeContains } from '../analysis/positions';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';
import { parseStageIndex } from '../analysis/stageNames';
import { unquoteWord } from '../analysis/fromVariables';
import { FileEdits, renameAcrossFiles } from '../edits/renameAcrossFiles';
import { RenameError, StageTextEdit, renameStage } from '../edits/renameStage';
import { DockerfileBuilds, NO_BUILDS } from '../workspace/dockerfileBuilds';
import { isOnVariable, prepareRenameVariable, renameVariable } from './variables';

export type { RenameError, StageTextEdit } from '../edits/renameStage';

interface RenameTarget {
  stage: Stage;
  /** What the rename box edits: the name under the cursor. */
  range: Range;
  placeholder: string;
}

export function prepareRename(model: StageModel, pos: Position): { range: Range; placeholder: string } | RenameError {
  // A variable is renamed within its scope (features/variables.ts).
  if (isOnVariable(model, pos)) return prepareRenameVariable(model, pos)!;
  const target = renameTarget(model, pos);
  if ('error' in target) return target;
  return { range: target.range, placeholder: target.placeholder };
}

export function rename(model: StageModel, pos: Position, newName: string, builds: DockerfileBuilds = NO_BUILDS): { edits: StageTextEdit[]; others: FileEdits[] } | RenameError {
  if (isOnVariable(model, pos)) {
    const renamed = renameVariable(model, pos, newName)!;
    return 'error' in renamed ? renamed : { edits: renamed.edits, others: [] };
  }
  const target = renameTarget(model, pos);
  if ('error' in target) return target;
  // The targets of Compose, Bake, dev container and workflow files that build it follow.
  if (builds !== NO_BUILDS) return renameAcrossFiles(model, target.stage, newName, builds);
  const edits = renameStage(model, target.stage, newName);
  return 'error' in edits ? edits : { edits: edits.edits, others: [] };
}

function renameTarget(model: StageModel, pos: Position): RenameTarget | RenameError {
  const ref = model.refAt(pos);
  if (ref) return refTarget(model, ref);
  const declared = model.declarationAt(pos);
  if (declared?.nameRange && declared.name !== undefined) {
    return { stage: declared, range: declared.nameRange, placeholder: declared.name };
  }
  const stage = model.stageAt(pos);
  if (stage && stage.name === undefined && rangeContains(stage.syntax.from.range, pos)) {
    return { error: `Stage ${stage.index} has no name, so there is nothing to rename: add "AS name" to its FROM line to name it.` };
  }
  return { error: 'Rename works on stage names: put the cursor on the name after AS or on a reference to a stage.' };
}

function refTarget(model: StageModel, ref: StageRef): RenameTarget | RenameError {
  const res = ref.resolution;
  switch (res.kind) {
    case 'stage': {
      const stage = model.stages[res.stage];
      if (ref.numeric) {
        const which = stage.name !== undefined ? `stage "${stage.name}"` : `unnamed stage ${stage.index}`;
        return {
          error: `--from=${ref.value} refers to ${which} by its index, not by name: rename the stage at its AS name (index references stay as they are).`,
        };
      }
      // A FROM base is read by the shell lexer: `FROM "build"` offers build.
      return { stage, range: ref.range, placeholder: ref.kind === 'from' ? (unquoteWord(ref.value, model.escapeChar) ?? ref.value) : ref.value };
    }
    case 'image':
      if (ref.value === 'scratch' || (ref.kind === 'mount' && ref.value === '')) {
        return { error: '"scratch" is the empty image, not a stage of this file: there is nothing to rename.' };
      }
      return { error: `"${ref.value}" is an image, not a stage of this file: there is nothing to rename.${imageHint(model, ref)}` };
    case 'variable':
      return {
        error: `FROM ${ref.value} uses build arguments, so the stage it names depends on the build: rename the stage at its AS name.`,
      };
    case 'deferred':
      // A trigger that runs in this file (a stage here builds on its stage) finds a stage here.
      if (res.stage !== undefined && parseStageIndex(ref.value) === undefined) return { stage: model.stages[res.stage], range: ref.range, placeholder: ref.value };
      return {
        error: `ONBUILD COPY --from=${ref.value} is resolved in the build of an image made FROM this one, not here: rename the stage at its AS name.`,
      };
    case 'invalid':
      return { error: `${invalidReason(ref, res.reason)}: there is no stage to rename.` };
  }
}

/** Why a name that looks like a stage's resolves to an image. */
function imageHint(model: StageModel, ref: StageRef): string {
  if (ref.kind !== 'from') return '';
  const key = (unquoteWord(ref.value, model.escapeChar) ?? ref.value).toLowerCase();
  const same = model.stages.find((s) => s.key === key);
  if (!same) return '';
  if (same.index >= ref.owner) return ` (FROM only sees stages defined above it; stage "${same.name}" is defined on line ${line(same.nameRange!)}.)`;
  return ` (FROM is case-sensitive: write the stage as "${key}" to use stage ${same.index}.)`;
}

function invalidReason(ref: StageRef, reason: 'index-out-of-range' | 'add-from' | 'variable' | 'empty'): string {
  switch (reason) {
    case 'index-out-of-range': return `--from=${ref.value} is not the index of a stage`;
    case 'add-from': return `ADD has no --from flag in BuildKit`;
    case 'variable': return `--from=${ref.value} is rejected by BuildKit (no variables, quotes or escapes in --from)`;
    case 'empty': return `--from is empty`;
  }
}


/** 1-based line number for messages. */
function line(r: Range): number {
  return r.start.line + 1;
}
