/**
 * The server's side of the build files (Compose, Bake, dev containers, workflows): it keeps the
 * workspace index (workspace/workspaceIndex.ts) current from the workspace folders, the files
 * the client watches and the open documents, and gives the features what they need: a
 * Dockerfile's builds, the model of a Dockerfile that is not open, the kind of a document.
 *
 * The readers and their parsers are a bundle of their own (dist/build-files.js), loaded when
 * the first build file is read: a workspace without one never loads them.
 */
import * as fs from 'fs';
import * as path from 'path';
import { fileURLToPath, pathToFileURL } from 'url';
import { Position, Range, rangeContains } from '../analysis/positions';
import type { Stage, StageModel } from '../analysis/stageModel';
import type { TextEdit } from '../edits/codeFix';
import type { Finding } from '../rules/rule';
import type { BuildEntry } from '../workspace/buildFiles';
import type { DockerfileBuilds } from '../workspace/dockerfileBuilds';
import type { BuildFileReader, WorkspaceIndex } from '../workspace/workspaceIndex';
import type * as Engine from '../engine';


/**
 * The readers, required on first use. The bundles turn this require into one of
 * dist/build-files.js (scripts/build.mjs), a bundle of its own with their parsers.
 */
function loadReader(): BuildFileReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('../workspace/readBuildFile') as { readBuildFile: BuildFileReader }).readBuildFile;
}

export function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return fileURLToPath(uri);
  } catch {
    return undefined;
  }
}

export function pathToUri(file: string): string {
  return pathToFileURL(file).href;
}

interface DiskModel {
  stamp: string;
  model: StageModel | 'missing';
}

export class BuildFiles {
  readonly index: WorkspaceIndex;
  private readonly diskModels = new Map<string, DiskModel>();
  private readonly buildsCache = new WeakMap<StageModel, { version: number; builds: DockerfileBuilds }>();

  constructor(
    private readonly engine: typeof Engine,
    /** The model of an open Dockerfile at this path, when one is open. */
    private readonly openModel: (file: string) => StageModel | undefined,
    onError: (file: string, error: unknown) => void,
  ) {
    this.index = new engine.WorkspaceIndex(loadReader, onError);
  }

  /** Whether `file` is a build file this index reads. */
  isBuildFile(file: string): boolean {
    return this.engine.buildFileKind(file) !== undefined;
  }

  /** The builds other files describe of the Dockerfile at `file`, for this model of it. */
  buildsOf(file: string | undefined, model: StageModel): DockerfileBuilds {
    if (file === undefined) return this.engine.NO_BUILDS;
    const kept = this.buildsCache.get(model);
    if (kept && kept.version === this.index.version) return kept.builds;
    const builds = this.engine.dockerfileBuilds(model, this.index.buildsOf(file));
    this.buildsCache.set(model, { version: this.index.version, builds });
    return builds;
  }

  /**
   * The model of the Dockerfile at `file`: the open document's, else the file on disk (read
   * again when its size or time changes), else 'missing'.
   */
  dockerfileModel(file: string): StageModel | 'missing' {
    const open = this.openModel(file);
    if (open) return open;
    let stat: fs.Stats;
    try {
      stat = fs.statSync(file);
    } catch {
      return 'missing';
    }
    if (!stat.isFile()) return 'missing';
    const stamp = `${stat.size}:${stat.mtimeMs}`;
    const kept = this.diskModels.get(file);
    if (kept && kept.stamp === stamp) return kept.model;
    let model: StageModel | 'missing';
    try {
      model = this.engine.analyzeText(fs.readFileSync(file, 'utf8'));
    } catch {
      model = 'missing';
    }
    this.diskModels.set(file, { stamp, model });
    return model;
  }

  /** A file changed on disk: forget what was read of it. */
  forget(file: string): void {
    this.diskModels.delete(file);
  }
}

/** A location in any file, as LSP sends it. */
export interface UriRange {
  uri: string;
  range: Range;
}

/**
 * The requests on a build file (definition, references, rename, completion, hover, code actions)
 * and its diagnostics, answered from the index and the Dockerfiles' models; and what a
 * Dockerfile's requests add from the build files (references and rename across files).
 */
export class BuildFileRequests {
  constructor(
    private readonly engine: typeof Engine,
    private readonly files: BuildFiles,
  ) {}

  private entriesAt(file: string, pos: Position): { entry: BuildEntry; model: StageModel } | undefined {
    const entry = this.engine.targetAt(this.files.index.entriesIn(file), pos);
    if (!entry?.dockerfile) return undefined;
    const model = this.files.dockerfileModel(entry.dockerfile);
    return model === 'missing' ? undefined : { entry, model };
  }

  /** The stage a target under the cursor builds, with its Dockerfile. */
  stageAt(file: string, pos: Position): { stage: Stage; model: StageModel; dockerfile: string; entry: BuildEntry } | undefined {
    const found = this.entriesAt(file, pos);
    const stage = found && this.engine.stageOfTarget(found.model, found.entry);
    return stage && { stage, model: found.model, dockerfile: found.entry.dockerfile!, entry: found.entry };
  }

  /** From a target to its stage's `FROM … AS` line, or from a Dockerfile path to the file. */
  definition(file: string, pos: Position): { uri: string; range: Range; targetRange: Range; origin: Range }[] {
    const at = this.stageAt(file, pos);
    if (at) {
      const { stage } = at;
      return [{ uri: pathToUri(at.dockerfile), range: stage.nameRange ?? stage.syntax.from.range, targetRange: stage.syntax.range, origin: at.entry.target!.range }];
    }
    for (const entry of this.files.index.entriesIn(file)) {
      const written = entry.dockerfileValue;
      if (!entry.dockerfile || !written || !rangeContains(written.range, pos) || this.files.dockerfileModel(entry.dockerfile) === 'missing') continue;
      const start = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return [{ uri: pathToUri(entry.dockerfile), range: start, targetRange: start, origin: written.range }];
    }
    return [];
  }

  /** A stage's uses everywhere: its declaration and uses in the Dockerfile, and every target building it. */
  stageReferences(model: StageModel, stage: Stage, dockerfile: string, includeDeclaration: boolean): UriRange[] {
    const uri = pathToUri(dockerfile);
    const here = stage.incoming.map((r) => ({ uri, range: r.range }));
    if (includeDeclaration && stage.nameRange) here.push({ uri, range: stage.nameRange });
    return [...here, ...this.externalReferences(model, stage, dockerfile)];
  }

  /** The targets in build files that build a Dockerfile's stage. */
  externalReferences(model: StageModel, stage: Stage, dockerfile: string): UriRange[] {
    const builds = this.files.buildsOf(dockerfile, model);
    return this.engine.targetsBuilding(stage, builds).map((t) => ({ uri: pathToUri(t.file), range: t.range }));
  }

  /** A rename from a target: the stage's rename across files. */
  rename(file: string, pos: Position, newName: string): { changes: Record<string, TextEdit[]> } | { error: string } | undefined {
    const at = this.stageAt(file, pos);
    if (!at) return undefined;
    const result = this.engine.renameAcrossFiles(at.model, at.stage, newName, this.files.buildsOf(at.dockerfile, at.model));
    if ('error' in result) return result;
    return { changes: changesOf(pathToUri(at.dockerfile), result.edits, result.others) };
  }

  completion(file: string, pos: Position): { label: string; detail: string; range: Range }[] {
    const found = this.entriesAt(file, pos);
    if (!found) return [];
    return this.engine.targetCompletions(found.model, found.entry, found.entry.dockerfile!).map((c) => ({ label: c.label, detail: c.detail, range: c.replaceRange }));
  }

  hover(file: string, pos: Position): { markdown: string; range: Range } | undefined {
    const at = this.stageAt(file, pos);
    if (!at) return undefined;
    const markdown = this.engine.stageHover(at.model, at.stage, this.files.buildsOf(at.dockerfile, at.model));
    return { markdown: `Stage ${at.stage.index} of \`${path.basename(at.dockerfile)}\`\n\n${markdown}`, range: at.entry.target!.range };
  }

  findings(file: string): Finding[] {
    return this.engine.buildFileFindings(this.files.index.entriesIn(file), (d) => this.files.dockerfileModel(d));
  }
}

/** A WorkspaceEdit's changes: the Dockerfile's edits and each build file's. */
export function changesOf(dockerfileUri: string, edits: TextEdit[], others: { file: string; edits: TextEdit[] }[]): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = { [dockerfileUri]: edits };
  for (const o of others) changes[pathToUri(o.file)] = o.edits;
  return changes;
}
