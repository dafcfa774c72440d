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
/** Folders whose listing is kept, at most (a server open for days, a CLI run over a tree). */
const MAX_FOLDERS_KEPT = 1000;

export class BuilderPatternFiles {
  private readonly kept = new Map<string, { stamp: string; value: BuilderPattern | undefined }>();
  /**
   * What each folder held when it was last listed (its builder's Dockerfile and scripts), with
   * its modification time then: until an entry is added, removed or renamed, which changes that
   * time, the folder is not listed again. Every publish asks, and the CLI asks once per file of
   * a folder that may hold thousands.
   */
  private readonly listed = new Map<string, { mtimeMs: number; builder: string | undefined; scripts: string[] }>();

  find(dockerfile: string): BuilderPattern | undefined {
    const dir = path.dirname(dockerfile);
    const own = path.basename(dockerfile).toLowerCase();
    if (BUILD_DOCKERFILES.includes(own)) return undefined;
    const folder = statOf(dir);
    if (!folder?.isDirectory()) return undefined;
    let listing = this.listed.get(dir);
    if (listing?.mtimeMs !== folder.mtimeMs) {
      let names: string[];
      try {
        names = fs.readdirSync(dir);
      } catch {
        return undefined;
      }
      const builder = names.find((n) => BUILD_DOCKERFILES.includes(n.toLowerCase()));
      listing = { mtimeMs: folder.mtimeMs, builder, scripts: builder ? names.filter((n) => SCRIPT.test(n)).sort().slice(0, MAX_SCRIPTS) : [] };
      if (this.listed.size >= MAX_FOLDERS_KEPT) this.listed.clear();
      this.listed.set(dir, listing);
    }
    const { builder, scripts } = listing;
    if (!builder) {
      this.kept.delete(dir);
      return undefined;
    }
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

const shared = new BuilderPatternFiles();

/** The CLI's lookups, one process's (or worker's) run: a folder is listed once for all its files. */
export function findBuilderPattern(dockerfile: string): BuilderPattern | undefined {
  return shared.find(dockerfile);
}
