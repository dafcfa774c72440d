/**
 * Files that build a Dockerfile's stages by name (Compose, Buildx Bake, dev containers, GitHub
 * workflows), and what each of them says about one build: which Dockerfile, which target, which
 * named contexts. The facts are plain records with positions in the file that says them; the
 * readers of each kind (compose.ts, bake.ts, devcontainer.ts, workflow.ts) make them. No LSP here.
 */
import * as path from 'path';
import { Range } from '../analysis/positions';

export type BuildFileKind = 'compose' | 'bake' | 'devcontainer' | 'workflow';

/** The word for a kind in messages and lenses (`built by compose: api`). */
export const KIND_LABEL: Record<BuildFileKind, string> = {
  compose: 'compose',
  bake: 'bake',
  devcontainer: 'dev container',
  workflow: 'workflow',
};

/** What a build file writes for a value: the text as read, where it is, and whether it is literal. */
export interface WrittenValue {
  /** The value as the tool reads it; undefined when it is computed and no default decides it. */
  value: string | undefined;
  /** Where it is written (inside its quotes). */
  range: Range;
  /** Whether the value is written literally at `range`, so that an edit can replace it. */
  literal: boolean;
  /** The text as written, for messages (`${TARGET:-builder}`). */
  written: string;
}

export interface NamedContext {
  name: string;
  /** Where the name is written. */
  range: Range;
  /** What it points at, as written (`docker-image://alpine`, `../shared`). */
  value: string;
}

/** One build of one Dockerfile that a build file describes. */
export interface BuildEntry {
  /** The build file (a file system path). */
  file: string;
  kind: BuildFileKind;
  /** Who builds: the service, Bake target, dev container or workflow step. */
  label: string;
  /** Where the build is described (the service's key, the target block's label, …). */
  range: Range;
  /** The Dockerfile it builds, as an absolute path; undefined when inline or unknown. */
  dockerfile: string | undefined;
  /** How the Dockerfile is named: its written path, or the context when the path is the default. */
  dockerfileValue: WrittenValue | undefined;
  /** Why no Dockerfile is known (an inline Dockerfile, a computed path), when none is. */
  noDockerfile?: string;
  /** The stage it builds; undefined when none is given (the last stage is built). */
  target: WrittenValue | undefined;
  namedContexts: NamedContext[];
}

/** The kind of build file a path names, by its name and folder (as each tool finds its files). */
export function buildFileKind(file: string): BuildFileKind | undefined {
  const base = path.basename(file);
  const parent = path.basename(path.dirname(file));
  if (/^(docker-)?compose(\.[^/\\]+)?\.ya?ml$/.test(base)) return 'compose';
  if (/^docker-bake(\.override)?\.(hcl|json)$/.test(base)) return 'bake';
  if (base === '.devcontainer.json') return 'devcontainer';
  if (base === 'devcontainer.json' && (parent === '.devcontainer' || path.basename(path.dirname(path.dirname(file))) === '.devcontainer')) return 'devcontainer';
  if (/\.ya?ml$/.test(base) && parent === 'workflows' && path.basename(path.dirname(path.dirname(file))) === '.github') return 'workflow';
  return undefined;
}

/**
 * Whether a path names a Dockerfile by the names tools give them: `Dockerfile` and
 * `Containerfile` (and `dockerfile`, the name `docker build` falls back to, and `containerfile`),
 * `Dockerfile.*` and `Containerfile.*` (`Dockerfile.dev`), `*.Dockerfile` and `*.containerfile`
 * in any case (`lint.Dockerfile`, `Windows.dockerfile`). Not a lower-case `dockerfile.*`, which
 * names source files about Dockerfiles (`dockerfile.go`, `dockerfile.json`), nor BuildKit's
 * per-Dockerfile ignore file (`Dockerfile.dockerignore`).
 */
export function isDockerfileName(file: string): boolean {
  const base = path.basename(file);
  if (/\.dockerignore$/i.test(base)) return false;
  return /^([Dd]ockerfile|[Cc]ontainerfile)$/.test(base) || /^(Dockerfile|Containerfile)\../.test(base) || /.\.(dockerfile|containerfile)$/i.test(base);
}

/** Offsets of a text to line/character positions (lines end at \n, \r\n or \r, as in LSP). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(readonly text: string) {
    const re = /\r\n|\r|\n/g;
    for (let m = re.exec(text); m; m = re.exec(text)) this.starts.push(m.index + m[0].length);
  }

  positionAt(offset: number): { line: number; character: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo] };
  }

  offsetAt(p: { line: number; character: number }): number {
    return (this.starts[p.line] ?? this.text.length) + p.character;
  }

  rangeOf(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(end) };
  }
}
