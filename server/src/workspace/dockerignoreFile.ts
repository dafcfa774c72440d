/**
 * The ignore file of a Dockerfile's build context, read from disk. BuildKit reads
 * `<Dockerfile name>.dockerignore` beside the Dockerfile when there is one, and the build
 * context's `.dockerignore` otherwise (frontend/dockerui). Where the context is, only the build
 * says (`docker build <context>`, Compose's build.context, Bake's context): here it is taken to
 * be the Dockerfile's folder, which it most often is.
 *
 * No LSP here; the protocol layer and the CLI call this, and give what it finds to the rules.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DockerIgnore } from '../analysis/dockerignore';

/** Larger files are not read (a .dockerignore is a few lines). */
const MAX_BYTES = 1 << 20;

/** The files looked for, in BuildKit's order of preference. */
export function dockerignoreCandidates(dockerfile: string): string[] {
  const dir = path.dirname(dockerfile);
  return [path.join(dir, `${path.basename(dockerfile)}.dockerignore`), path.join(dir, '.dockerignore')];
}

/** Whether a path names an ignore file some Dockerfile of its folder would read. */
export function isDockerignoreName(file: string): boolean {
  return path.basename(file).endsWith('.dockerignore');
}

/** Reads the ignore file of a Dockerfile once, without keeping anything (the CLI). */
export function readDockerignoreFor(dockerfile: string): DockerIgnore | undefined {
  return new DockerignoreFiles().find(dockerfile);
}

/**
 * The ignore files of Dockerfiles, kept while the files do not change: each lookup checks the
 * candidates' size and time (two stat calls) and reads and parses a file only when it changed,
 * so the answer keeps its identity (the rules keep their findings for it) until it does.
 */
export class DockerignoreFiles {
  private readonly kept = new Map<string, { stamp: string; value: DockerIgnore | undefined }>();

  find(dockerfile: string): DockerIgnore | undefined {
    for (const candidate of dockerignoreCandidates(dockerfile)) {
      let stat: fs.Stats | undefined;
      try {
        stat = fs.statSync(candidate, { throwIfNoEntry: false });
      } catch {
        stat = undefined;
      }
      if (!stat?.isFile()) {
        this.kept.delete(candidate);
        continue;
      }
      const stamp = `${stat.mtimeMs}:${stat.size}`;
      const kept = this.kept.get(candidate);
      if (kept && kept.stamp === stamp) return kept.value;
      let value: DockerIgnore | undefined;
      try {
        // A file that cannot be read, or patterns BuildKit refuses (the build fails then): no check.
        value = stat.size <= MAX_BYTES ? DockerIgnore.parse(path.basename(candidate), fs.readFileSync(candidate, 'utf8')) : undefined;
      } catch {
        value = undefined;
      }
      this.kept.set(candidate, { stamp, value });
      return value;
    }
    return undefined;
  }
}
