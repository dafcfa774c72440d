/**
 * The builder pattern, seen from the file system: a Dockerfile that compiles (`Dockerfile.build`,
 * `build.Dockerfile`, `Dockerfile.builder`, `builder.Dockerfile`) beside a Dockerfile, and a
 * script in the same folder that moves the artifacts from one image to the other with
 * `docker create` and `docker cp`, the way builds were chained before multi-stage builds.
 *
 * No LSP here; the protocol layer and the CLI call this beside each Dockerfile they check and
 * hand what it finds to the rules (RuleContext.builderPattern). Nothing goes over the network.
 */
import * as fs from 'fs';
import * as path from 'path';

export interface BuilderPattern {
  /** The file name of the Dockerfile that compiles (in the same folder). */
  buildDockerfile: string;
  /** The file name of the script that copies its artifacts out with docker create and docker cp. */
  script: string;
}

/** The names a builder's Dockerfile goes by, compared case-insensitively. */
const BUILD_DOCKERFILES: readonly string[] = ['dockerfile.build', 'build.dockerfile', 'dockerfile.builder', 'builder.dockerfile'];
/** Scripts are files with these endings, or a Makefile, or a file named build / build-*. */
const SCRIPT = /\.(?:sh|bash|ps1|cmd|bat|mk)$|^(?:makefile|gnumakefile|build(?:[-_.][\w.-]*)?)$/i;
/** A folder is looked at only this far: bigger scripts and crowded folders are not read. */
const MAX_SCRIPT_BYTES = 256 * 1024;
const MAX_SCRIPTS = 50;

/** Whether a script's text moves files out of an image: `docker create` and `docker cp` (or `container cp`). */
export function movesArtifacts(text: string): boolean {
  return /\b(?:docker|podman)\s+(?:container\s+)?create\b/.test(text) && /\b(?:docker|podman)\s+(?:container\s+)?cp\b/.test(text);
}

/**
 * The builder pattern around `dockerfile`, when its folder has one: a builder Dockerfile other
 * than this file, and a script that moves artifacts. Kept while the folder's files do not change
 * (their names, sizes and times), so the answer keeps its identity for the rules' kept findings.
 */
/** Folders remembered as having no builder's Dockerfile, at most (a server open for days). */
const MAX_FOLDERS_KEPT = 1000;

export class BuilderPatternFiles {
  private readonly kept = new Map<string, { stamp: string; value: BuilderPattern | undefined }>();
  /**
   * Folders listed without a builder's Dockerfile, with their modification time then: until an
   * entry is added, removed or renamed (which changes it), there is none to look for. Every
   * publish asks, and most folders have none.
   */
  private readonly withoutBuilder = new Map<string, number>();

  find(dockerfile: string): BuilderPattern | undefined {
    const dir = path.dirname(dockerfile);
    const own = path.basename(dockerfile).toLowerCase();
    if (BUILD_DOCKERFILES.includes(own)) return undefined;
    const folder = statOf(dir);
    if (!folder?.isDirectory()) return undefined;
    if (this.withoutBuilder.get(dir) === folder.mtimeMs) return undefined;
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      return undefined;
    }
    const builder = names.find((n) => BUILD_DOCKERFILES.includes(n.toLowerCase()));
    if (!builder) {
      this.kept.delete(dir);
      if (this.withoutBuilder.size >= MAX_FOLDERS_KEPT) this.withoutBuilder.clear();
      this.withoutBuilder.set(dir, folder.mtimeMs);
      return undefined;
    }
    this.withoutBuilder.delete(dir);
    const scripts = names.filter((n) => SCRIPT.test(n)).sort().slice(0, MAX_SCRIPTS);
    const stats = scripts.map((n) => statOf(path.join(dir, n)));
    const stamp = [builder, ...scripts.map((n, i) => `${n}:${stats[i]?.mtimeMs}:${stats[i]?.size}`)].join('\n');
    const kept = this.kept.get(dir);
    if (kept && kept.stamp === stamp) return kept.value;
    let value: BuilderPattern | undefined;
    for (let i = 0; i < scripts.length && !value; i++) {
      const s = stats[i];
      if (!s?.isFile() || s.size > MAX_SCRIPT_BYTES) continue;
      let text: string;
      try {
        text = fs.readFileSync(path.join(dir, scripts[i]), 'utf8');
      } catch {
        continue;
      }
      if (movesArtifacts(text)) value = { buildDockerfile: builder, script: scripts[i] };
    }
    this.kept.set(dir, { stamp, value });
    return value;
  }
}

function statOf(file: string): fs.Stats | undefined {
  try {
    return fs.statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** Looks once, keeping nothing (the CLI, which checks each file once). */
export function findBuilderPattern(dockerfile: string): BuilderPattern | undefined {
  return new BuilderPatternFiles().find(dockerfile);
}
