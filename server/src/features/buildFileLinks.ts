/**
 * Stages as symbols across files: what a Compose, Bake, dev container or workflow file's target
 * leads to (the stage), what the Dockerfile's stage is built by (those targets), names that a
 * build gives a named context, and the stage names to complete in a target. Pure functions of a
 * Dockerfile's model and the build files' records.
 */
import * as path from 'path';
import { Position, Range, rangeContains } from '../analysis/positions';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';
import { BuildEntry, KIND_LABEL, NamedContext } from '../workspace/buildFiles';
import { DockerfileBuilds, targetStage } from '../workspace/dockerfileBuilds';

/** A place in another file (a file system path). */
export interface FileRange {
  file: string;
  range: Range;
}

/** The build whose target is under the cursor in a build file. */
export function targetAt(entries: readonly BuildEntry[], pos: Position): BuildEntry | undefined {
  return entries.find((e) => e.target && rangeContains(e.target.range, pos));
}

/** The stage a build's target builds, when its Dockerfile has it. */
export function stageOfTarget(model: StageModel, entry: BuildEntry): Stage | undefined {
  if (!entry.target || entry.target.written === '') return undefined;
  const index = targetStage(model, entry);
  return index === undefined ? undefined : model.stages[index];
}

/** The targets in build files that build `stage` (what references add to the stage's uses). */
export function targetsBuilding(stage: Stage, builds: DockerfileBuilds): FileRange[] {
  return builds.builds.filter((b) => b.stage === stage.index && b.named).map((b) => ({ file: b.entry.file, range: b.entry.target!.range }));
}

/** `built by compose: api · bake: app-test`, for the lens and the hover; undefined when none. */
export function builtByText(stage: Stage, builds: DockerfileBuilds): string | undefined {
  const by = builds.builds
    .filter((b) => b.stage === stage.index && b.named)
    .sort((a, b) => KIND_ORDER.indexOf(a.entry.kind) - KIND_ORDER.indexOf(b.entry.kind) || a.entry.label.localeCompare(b.entry.label))
    .map((b) => `${KIND_LABEL[b.entry.kind]}: ${b.entry.label}`);
  return by.length > 0 ? `built by ${[...new Set(by)].join(' · ')}` : undefined;
}

const KIND_ORDER: readonly BuildEntry['kind'][] = ['compose', 'bake', 'devcontainer', 'workflow'];

/** The named contexts a `FROM NAME` or `--from=NAME` stands for in the builds of other files. */
export function contextsFor(ref: StageRef, builds: DockerfileBuilds): { context: NamedContext; entry: BuildEntry }[] {
  return ref.numeric ? [] : (builds.contexts.get(ref.value.toLowerCase()) ?? []);
}

export interface TargetCompletion {
  label: string;
  detail: string;
  replaceRange: Range;
}

/** Every named stage of the Dockerfile, as a target: BuildKit builds any stage by name. */
export function targetCompletions(model: StageModel, entry: BuildEntry, dockerfile: string): TargetCompletion[] {
  if (!entry.target) return [];
  const replaceRange = entry.target.range;
  const seen = new Set<string>();
  const out: TargetCompletion[] = [];
  for (let i = model.stages.length - 1; i >= 0; i--) {
    const s = model.stages[i];
    if (s.key === undefined || seen.has(s.key)) continue;
    seen.add(s.key);
    out.push({ label: s.key, detail: `stage ${s.index} of ${path.basename(dockerfile)}, line ${s.syntax.from.range.start.line + 1}`, replaceRange });
  }
  return out.reverse();
}
