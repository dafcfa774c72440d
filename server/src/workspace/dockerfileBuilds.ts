/**
 * A Dockerfile seen from the build files that build it: which stage each build builds (its
 * target looked up as BuildKit looks up `--target`: lower-cased, the last stage of that name;
 * no target builds the last stage), which stages those builds reach, and which names the builds
 * give named contexts (a named context replaces an image or stage of that name in `FROM` and
 * `--from`).
 */
import { StageModel } from '../analysis/stageModel';
import { BuildEntry, NamedContext } from './buildFiles';

export interface StageBuild {
  entry: BuildEntry;
  /** The stage it builds; undefined when its target names no stage or is computed. */
  stage: number | undefined;
  /** Whether it names the stage with a target (else it builds the last stage by default). */
  named: boolean;
}

export interface DockerfileBuilds {
  builds: StageBuild[];
  /** Stages some build of another file builds, directly or as a dependency. */
  reached: ReadonlySet<number>;
  /** Named contexts by lower-cased name, with the build that gives each. */
  contexts: ReadonlyMap<string, { context: NamedContext; entry: BuildEntry }[]>;
}

export const NO_BUILDS: DockerfileBuilds = { builds: [], reached: new Set(), contexts: new Map() };

export function dockerfileBuilds(model: StageModel, entries: readonly BuildEntry[]): DockerfileBuilds {
  if (entries.length === 0) return NO_BUILDS;
  const builds: StageBuild[] = entries.map((entry) => ({ entry, stage: targetStage(model, entry), named: entry.target !== undefined && entry.target.written !== '' }));
  const reached = new Set<number>();
  for (const b of builds) if (b.stage !== undefined && !reached.has(b.stage)) for (const s of model.reachableFrom(b.stage)) reached.add(s);
  const contexts = new Map<string, { context: NamedContext; entry: BuildEntry }[]>();
  for (const entry of entries) {
    for (const context of entry.namedContexts) {
      const key = context.name.toLowerCase();
      const list = contexts.get(key) ?? [];
      list.push({ context, entry });
      contexts.set(key, list);
    }
  }
  return { builds, reached, contexts };
}

/** The stage a build builds: its target by BuildKit's `--target` lookup, or (none, or empty) the last stage. */
export function targetStage(model: StageModel, entry: BuildEntry): number | undefined {
  if (!entry.target || entry.target.written === '') return model.targetIndex;
  if (entry.target.value === undefined) return undefined;
  return model.stageForTarget(entry.target.value)?.index;
}
