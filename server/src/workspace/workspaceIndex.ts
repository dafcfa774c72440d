/**
 * The build files of the workspace folders and what they build: found on disk, read with their
 * tool's rules (readBuildFile.ts), kept current as files change, with the text of an open
 * document preferred over the file on disk. Everything is asynchronous and bounded, so that
 * finding and reading them never holds up the Dockerfile features. No LSP here: paths in, plain
 * records out.
 */
import { promises as fs } from 'fs';
import * as path from 'path';
import { BuildEntry, buildFileKind } from './buildFiles';

/** readBuildFile.ts's reader, passed in: the parsers behind it load only when first needed. */
export type BuildFileReader = (file: string, text: string) => Promise<BuildEntry[]>;

/** Folders a build file is never looked for in (dependencies, VCS data, caches). */
const SKIPPED = new Set(['node_modules', '.git', '.hg', '.svn', '.cache', 'bower_components', '__pycache__', '.venv', 'target']);
/** How deep and how many folders a scan looks at, so that a huge tree costs a bounded time. */
const MAX_DEPTH = 8;
const MAX_FOLDERS = 20_000;

export class WorkspaceIndex {
  private readonly entries = new Map<string, BuildEntry[]>();
  private readonly open = new Map<string, string>();
  private readonly listeners = new Set<(files: string[]) => void>();
  /** The read in progress of each file, so that a request can wait for the text it is about. */
  private readonly reading = new Map<string, Promise<boolean>>();
  /** Bumped at every change, so that what was derived from the index can tell it is stale. */
  version = 0;
  private reader: BuildFileReader | undefined;

  constructor(
    private readonly loadReader: () => BuildFileReader,
    /** Hears of a reader that failed on a file (the file is then left without builds). */
    private readonly onError: (file: string, error: unknown) => void = () => undefined,
  ) {}

  /** Runs `listener` after each change with the build files that changed. */
  onChange(listener: (files: string[]) => void): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /** Finds and reads every build file under `folder`. */
  async addFolder(folder: string): Promise<void> {
    const found = await findFiles(folder, (f) => buildFileKind(f) !== undefined);
    const changed: string[] = [];
    for (const file of found) if (await this.read(file)) changed.push(file);
    this.changed(changed);
  }

  /** A file was created, changed or deleted on disk. */
  async refresh(file: string): Promise<void> {
    if (!buildFileKind(file)) return;
    if (await this.read(file)) this.changed([file]);
  }

  /** A build file opened in the editor (its text wins over the disk), or closed (`undefined`). */
  async setOpen(file: string, text: string | undefined): Promise<void> {
    if (!buildFileKind(file)) return;
    const key = path.resolve(file);
    if (text === undefined) this.open.delete(key);
    else this.open.set(key, text);
    if (await this.read(file)) this.changed([file]);
  }

  /** The builds a build file describes. */
  entriesIn(file: string): BuildEntry[] {
    return this.entries.get(path.resolve(file)) ?? [];
  }

  /** Every build of the Dockerfile at `dockerfile`, across the workspace. */
  buildsOf(dockerfile: string): BuildEntry[] {
    const wanted = normal(dockerfile);
    const out: BuildEntry[] = [];
    for (const list of this.entries.values()) for (const e of list) if (e.dockerfile !== undefined && normal(e.dockerfile) === wanted) out.push(e);
    return out;
  }

  /** Every build file known, with its builds. */
  all(): ReadonlyMap<string, BuildEntry[]> {
    return this.entries;
  }

  /** Resolves when the latest read of `file` (an edit of the open document) is done. */
  async settled(file: string): Promise<void> {
    await this.reading.get(path.resolve(file));
  }

  /** Reads one file; whether what it builds changed. Reads of one file run one after another. */
  private read(file: string): Promise<boolean> {
    const key = path.resolve(file);
    const next = (this.reading.get(key) ?? Promise.resolve(false)).then(() => this.readNow(key));
    this.reading.set(key, next);
    void next.finally(() => {
      if (this.reading.get(key) === next) this.reading.delete(key);
    });
    return next;
  }

  private async readNow(file: string): Promise<boolean> {
    const key = path.resolve(file);
    let text = this.open.get(key);
    if (text === undefined) text = await fs.readFile(key, 'utf8').catch(() => undefined);
    const before = JSON.stringify(this.entries.get(key) ?? []);
    if (text === undefined) {
      this.entries.delete(key);
    } else {
      let read: BuildEntry[] = [];
      try {
        read = await (this.reader ??= this.loadReader())(key, text);
      } catch (e) {
        // A reader that fails on some text leaves the file without builds, never the server broken.
        this.onError(file, e);
      }
      this.entries.set(key, read);
    }
    return JSON.stringify(this.entries.get(key) ?? []) !== before;
  }

  private changed(files: string[]): void {
    if (files.length === 0) return;
    this.version++;
    for (const l of this.listeners) l(files);
  }
}

/** Paths compared as the file system would: case-insensitively where it is (Windows, macOS). */
function normal(file: string): string {
  const resolved = path.resolve(file);
  return process.platform === 'win32' || process.platform === 'darwin' ? resolved.toLowerCase() : resolved;
}

/** The files under `folder` that `wanted` accepts, breadth first, skipping dependency and VCS folders, bounded. */
export async function findFiles(folder: string, wanted: (file: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  let level = [path.resolve(folder)];
  let folders = 0;
  for (let depth = 0; depth <= MAX_DEPTH && level.length > 0 && folders < MAX_FOLDERS; depth++) {
    const next: string[] = [];
    for (const dir of level) {
      if (++folders > MAX_FOLDERS) break;
      const items = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const item of items) {
        const full = path.join(dir, item.name);
        if (item.isDirectory()) {
          if (!SKIPPED.has(item.name)) next.push(full);
        } else if (item.isFile() && wanted(full)) {
          found.push(full);
        }
      }
    }
    level = next;
  }
  return found.sort();
}
