/**
 * Renaming a stage in its Dockerfile and in every file that builds it by name: the Dockerfile's
 * edits are renameStage's; a target written literally in a Compose, Bake, dev container or
 * workflow file is rewritten with them. Refused, with the reason, where a target that builds the
 * stage is computed (`${TARGET:-builder}`, `${{ matrix.stage }}`) and cannot be edited, where a
 * target that names no stage today would come to build it, and where a build gives a named
 * context the new name (the context would replace the stage).
 */
import { Range } from '../analysis/positions';
import { Stage, StageModel } from '../analysis/stageModel';
import { KIND_LABEL } from '../workspace/buildFiles';
import { DockerfileBuilds } from '../workspace/dockerfileBuilds';
import { RenameError, StageTextEdit, renameStage } from './renameStage';

export interface FileEdits {
  /** The build file (a file system path). */
  file: string;
  edits: StageTextEdit[];
}

export function renameAcrossFiles(model: StageModel, stage: Stage, newName: string, builds: DockerfileBuilds): { edits: StageTextEdit[]; others: FileEdits[] } | RenameError {
  const inFile = renameStage(model, stage, newName);
  if ('error' in inFile) return inFile;
  const newKey = newName.toLowerCase();
  const others = new Map<string, StageTextEdit[]>();
  for (const { entry, stage: built, named } of builds.builds) {
    const target = entry.target;
    const where = `${KIND_LABEL[entry.kind]} ${entry.label} (${entry.file}, line ${line(target?.range ?? entry.range)})`;
    if (built === stage.index && target && named) {
      if (!target.literal) {
        return { error: `${where} builds this stage as ${target.written}, which a rename cannot rewrite: change it there first, or keep the name.` };
      }
      if (target.value !== newName) {
        const list = others.get(entry.file) ?? [];
        list.push({ range: target.range, newText: newName });
        others.set(entry.file, list);
      }
    } else if (built === undefined && target?.value !== undefined && target.value.toLowerCase() === newKey) {
      return { error: `${where} builds the target "${target.value}", which names no stage today: a stage named "${newName}" would start being built there.` };
    }
  }
  const context = builds.contexts.get(newKey);
  if (context) {
    const { entry } = context[0];
    return { error: `${KIND_LABEL[entry.kind]} ${entry.label} (${entry.file}) gives a named context "${context[0].context.name}", which would replace a stage of that name in its build.` };
  }
  return { edits: inFile.edits, others: [...others].map(([file, edits]) => ({ file, edits: dedupe(edits) })) };
}

/** Two builds inheriting one Bake target share its `target` attribute: one edit. */
function dedupe(edits: StageTextEdit[]): StageTextEdit[] {
  const seen = new Set<string>();
  return edits.filter((e) => {
    const key = JSON.stringify(e.range);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function line(r: Range): number {
  return r.start.line + 1;
}
