/**
 * Renaming a stage as edits of the file: its `AS name` and every named reference BuildKit
 * resolves to it, so that after the edit every reference of the file still resolves to the
 * same stage as before; refused, with the reason, where a new name would change what another
 * reference means. Shared by the rename feature and the quick fixes that rename
 * (StageNameCasing, DuplicateStageName).
 *
 * BuildKit's lookups (see docs/buildkit-stage-semantics.md):
 * - `FROM X` binds the latest EARLIER stage whose lower-cased name equals X exactly, so a
 *   FROM use is written in lower case whatever the new name's casing;
 * - `COPY --from=X` and `RUN --mount=…,from=X` bind the LAST stage of that name in the file,
 *   case-insensitively;
 * - `COPY --from=N` binds by index and is left alone.
 * The model already resolved each reference that way, so the uses to change are exactly the
 * references in the stage's `incoming` list (duplicate names included).
 */
import { Range, comparePositions } from '../analysis/positions';
import { RESERVED_STAGE_NAMES, isValidStageName, parseStageIndex } from '../analysis/stageNames';
import { unquoteWord } from '../analysis/fromVariables';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';
import { referenceEdit } from './referenceEdit';

export interface RenameError {
  error: string;
}

export interface StageTextEdit {
  range: Range;
  newText: string;
}

/**
 * Renames a named stage: the edits of `rename` with the cursor on its name. With
 * `casingOnly`, a new name that differs only in case is accepted even when another stage
 * has the same key (a duplicate name stays a duplicate; nothing resolves differently).
 */
export function renameStage(model: StageModel, stage: Stage, newName: string, options: { casingOnly?: boolean } = {}): { edits: StageTextEdit[] } | RenameError {
  if (stage.name === undefined || stage.nameRange === undefined) {
    return { error: `Stage ${stage.index} has no name, so there is nothing to rename: add "AS name" to its FROM line to name it.` };
  }
  const oldName = stage.name;
  const newKey = newName.toLowerCase();
  if (options.casingOnly && newKey !== stage.key) {
    return { error: `"${newName}" is not "${stage.name}" in another case.` };
  }

  if (!isValidStageName(newName)) {
    return {
      error: `"${newName}" is not a valid stage name: BuildKit wants a letter first, then letters, digits, "-", "_" or "." (^[a-z][a-z0-9-_.]*$ after lower-casing).`,
    };
  }
  if (RESERVED_STAGE_NAMES.has(newKey)) {
    const meaning = newKey === 'scratch' ? 'the empty image' : 'the build context';
    return { error: `"${newName}" is reserved: BuildKit reads it as ${meaning}, not as a stage.` };
  }
  const clash = options.casingOnly ? undefined : model.stages.find((s) => s !== stage && s.key === newKey);
  if (clash) {
    return {
      error: `"${newName}" is already the name of stage ${clash.index} (line ${line(clash.nameRange!)}); stage names are compared case-insensitively.`,
    };
  }

  // A name whose key does not change captures nothing and leaves every pattern as it was.
  const stale = newKey === stage.key ? undefined : changedVariableBase(model, stage, newKey) ?? capturedReference(model, stage, newKey);
  if (stale) return { error: stale };

  const edits: StageTextEdit[] = [];
  // A reference already written as the new name (quotes aside) is left as it is.
  const add = (r: StageRef, newText: string) => {
    if (r.value !== newText) edits.push(referenceEdit(r, newText));
  };
  if (oldName !== newName) edits.push({ range: stage.nameRange, newText: newName });
  // The uses include `ONBUILD COPY --from=name` in a stage that a stage of this file is built
  // FROM: the trigger runs in this build (dockerfile2llb initOnBuildTriggers) and finds this stage.
  for (const r of stage.incoming) {
    if (r.numeric || parseStageIndex(r.value) !== undefined) continue;
    if (r.kind === 'from') {
      // FROM matches the lower-cased stage name exactly (after quote removal), so it is
      // written in lower case, and left as it is when only the name's casing changes.
      if (newKey !== stage.key) add(r, newKey);
    } else {
      // --from and from= ignore case.
      add(r, newName);
    }
  }
  return { edits: dedupeSorted(edits) };
}

/**
 * A FROM built from build arguments after the stage must be able to name it after the rename
 * exactly when it could before (`FROM build-${V}` can name `build-x` but not `test`), and must
 * name it with the ARG defaults exactly when it did: otherwise the rename would change which
 * stage, or whether a stage rather than an image, that FROM builds on.
 */
function changedVariableBase(model: StageModel, stage: Stage, newKey: string): string | undefined {
  if (newKey === stage.key) return undefined;
  for (const r of model.refs) {
    const res = r.resolution;
    if (res.kind !== 'variable' || r.owner <= stage.index) continue;
    const could = res.candidates.includes(stage.index);
    const after = model.baseWouldName(r, newKey);
    if (res.withDefaults === stage.index && !after.withDefaults) {
      return `FROM ${r.value} on line ${line(r.range)} names stage "${stage.name}" with the default ARG values; after the rename it would name an image instead. Change the ARG default together with the stage name.`;
    }
    if (res.withDefaults !== stage.index && after.withDefaults) {
      return `FROM ${r.value} on line ${line(r.range)} is "${newKey}" with the default ARG values, so after the rename it would build on this stage instead of ${res.withDefaults === undefined ? 'an image' : `stage ${res.withDefaults}`}: choose another name.`;
    }
    if (could && !after.can) {
      return `FROM ${r.value} on line ${line(r.range)} can name stage "${stage.name}" through build arguments, and would no longer match "${newKey}": choose a name that fits ${r.value}.`;
    }
    if (!could && after.can) {
      return `FROM ${r.value} on line ${line(r.range)} could name a stage called "${newKey}" through build arguments, which it cannot do for "${stage.name}" today: choose another name.`;
    }
  }
  return undefined;
}

/** A reference that is an image today (or an ONBUILD trigger run here that finds no stage) and would find the renamed stage. */
function capturedReference(model: StageModel, stage: Stage, newKey: string): string | undefined {
  const images = model.refs.filter((r) => {
    const res = r.resolution;
    if (res.kind === 'image') return true;
    return res.kind === 'deferred' && res.runsHere && res.stage === undefined && parseStageIndex(r.value) === undefined;
  });
  for (const r of images) {
    // FROM sees earlier stages only and compares exactly; the others look at every stage, ignoring case.
    const captured = r.kind === 'from'
      ? unquoteWord(r.value, model.escapeChar) === newKey && r.owner > stage.index
      : r.value.toLowerCase() === newKey;
    if (captured) {
      const label = r.kind === 'from' ? `FROM ${r.value}` : r.kind === 'mount' ? `from=${r.value}` : `--from=${r.value}`;
      return `${label} on line ${line(r.range)} uses the image "${r.value}"; a stage named "${newKey}" would take its place.`;
    }
  }
  return undefined;
}

function dedupeSorted(edits: StageTextEdit[]): StageTextEdit[] {
  edits.sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
  return edits.filter((e, i) => i === 0 || comparePositions(edits[i - 1].range.start, e.range.start) !== 0 || comparePositions(edits[i - 1].range.end, e.range.end) !== 0);
}

/** 1-based line number for messages. */
function line(r: Range): number {
  return r.start.line + 1;
}
