/**
 * One StageModel per document version, shared by every request for that version. Edits reuse
 * the parsed pieces of the previous version (see documentParser.ts).
 *
 * The server builds a version's model in slices (getAsync): the parse yields between pieces, so
 * that messages keep flowing while a huge file is read, and a build that nobody waits for any
 * more (its requests were cancelled) or that a newer version made stale stops at its next slice.
 */
import { PieceCache, parseDocument, parseSteps } from './documentParser';
import { StageModel } from './stageModel';

export function analyzeText(text: string, version = 0, cache?: PieceCache): StageModel {
  return new StageModel(version, parseDocument(text, cache));
}

/** A build stopped because every request waiting for it was cancelled. */
export class BuildCancelled extends Error {
  constructor() {
    super('every request waiting for it was cancelled');
  }
}
/** A build stopped because a newer version of the document is being built. */
export class BuildSuperseded extends Error {
  constructor() {
    super('a newer version is analysed');
  }
}

const superseded = () => new BuildSuperseded();
const cancelled = () => new BuildCancelled();

/** How long a build runs before it lets other messages through. */
const SLICE_MS = 15;

interface Build {
  version: number;
  promise: Promise<StageModel>;
  /** Waiters that may still want the result; at zero the build stops. */
  waiters: number;
  stop: BuildCancelled | BuildSuperseded | undefined;
}

interface Entry {
  version: number;
  model: StageModel | undefined;
  cache: PieceCache;
  build: Build | undefined;
}

/** A request's wish to stop waiting, as LSP's cancellation token gives it. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
  onCancellationRequested(listener: () => void): { dispose(): void };
}

export class ModelStore {
  private readonly entries = new Map<string, Entry>();

  /** `onStopped` hears of every build that stopped before its end, and why. */
  constructor(private readonly onStopped?: (uri: string, version: number, why: BuildCancelled | BuildSuperseded) => void) {}

  private entry(uri: string): Entry {
    let entry = this.entries.get(uri);
    if (!entry) this.entries.set(uri, (entry = { version: -1, model: undefined, cache: new PieceCache(), build: undefined }));
    return entry;
  }

  /** The model of `uri` at `version`, built now if it is not built yet. */
  get(uri: string, version: number, text: () => string): StageModel {
    const entry = this.entry(uri);
    if (entry.model && entry.version === version) return entry.model;
    this.stopBuild(entry, superseded);
    const model = analyzeText(text(), version, entry.cache);
    entry.version = version;
    entry.model = model;
    return model;
  }

  /**
   * The model of `uri` at `version`, built in slices. Rejects with BuildCancelled when
   * `cancellation` fires before it is ready, and with BuildSuperseded when a build of another
   * version starts meanwhile. Waiters of the same version share one build.
   */
  getAsync(uri: string, version: number, text: () => string, cancellation?: Cancellation): Promise<StageModel> {
    const entry = this.entry(uri);
    if (entry.model && entry.version === version) return Promise.resolve(entry.model);
    let build = entry.build;
    if (!build || build.version !== version) {
      this.stopBuild(entry, superseded);
      build = this.startBuild(uri, entry, version, text());
    }
    return this.wait(entry, build, cancellation);
  }

  private startBuild(uri: string, entry: Entry, version: number, text: string): Build {
    const build: Build = { version, promise: undefined!, waiters: 0, stop: undefined };
    const steps = parseSteps(text, entry.cache);
    build.promise = (async () => {
      let sliceStart = performance.now();
      for (;;) {
        const step = steps.next();
        if (step.done) {
          const model = new StageModel(version, step.value);
          if (this.entries.get(uri) === entry) {
            entry.version = version;
            entry.model = model;
          }
          return model;
        }
        if (performance.now() - sliceStart < SLICE_MS) continue;
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (build.stop) {
          this.onStopped?.(uri, version, build.stop);
          throw build.stop;
        }
        sliceStart = performance.now();
      }
    })().finally(() => {
      if (entry.build === build) entry.build = undefined;
    });
    // Nobody may be waiting any more when it fails; that is no unhandled rejection.
    build.promise.catch(() => undefined);
    entry.build = build;
    return build;
  }

  private wait(entry: Entry, build: Build, cancellation?: Cancellation): Promise<StageModel> {
    build.waiters++;
    if (!cancellation) return build.promise;
    return new Promise<StageModel>((resolve, reject) => {
      let settled = false;
      const done = () => {
        settled = true;
        listener.dispose();
      };
      const listener = cancellation.onCancellationRequested(() => {
        if (settled) return;
        done();
        // The last waiter gone: the build stops at its next slice.
        if (--build.waiters === 0 && entry.build === build) this.stopBuild(entry, cancelled);
        reject(new BuildCancelled());
      });
      build.promise.then(
        (model) => {
          if (!settled) {
            done();
            resolve(model);
          }
        },
        (e: unknown) => {
          if (!settled) {
            done();
            reject(e);
          }
        },
      );
    });
  }

  /** Stops the entry's build, if one runs; the error is made only then (an Error records a stack). */
  private stopBuild(entry: Entry, why: () => BuildCancelled | BuildSuperseded): void {
    if (entry.build && !entry.build.stop) entry.build.stop = why();
    entry.build = undefined;
  }

  /** The last model built for `uri`, whatever its version. */
  latest(uri: string): StageModel | undefined {
    return this.entries.get(uri)?.model;
  }

  delete(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) this.stopBuild(entry, superseded);
    this.entries.delete(uri);
  }
}
