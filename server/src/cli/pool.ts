/**
 * Checking many Dockerfiles on all cores: a pool of worker threads, each running the CLI's own
 * bundle (the worker branch at the end of cli.ts), each taking batches of files as it finishes
 * the last, so that a few large files do not leave the other workers idle. Results come back with
 * their place in the list and are returned in the order the files were given.
 */
import * as os from 'os';
import { Worker, parentPort, workerData } from 'worker_threads';
import { CheckJob, CheckResult, CheckSettings, checkDockerfile } from './check';

/** Marks a worker thread started by this pool, as opposed to code that imports the CLI. */
export const WORKER_ROLE = 'dockerfile-stages-check';

/**
 * Below this many files per worker a worker does not pay for itself. Each worker starts a thread
 * that loads the bundle (about 50 ms) and warms up on its first files as the main thread would
 * (about 0.3 s of CPU), then checks a file in about 1 ms: with fewer than a hundred files each, the
 * time the workers save is about what starting them costs.
 */
export const FILES_PER_WORKER = 100;

/** The number of workers for `files` files: all cores for a large run, none (the main thread) for a small one. */
export function workerCount(files: number, jobs: number | undefined): number {
  if (jobs !== undefined) return jobs <= 1 ? 0 : jobs;
  const n = Math.min(os.availableParallelism(), Math.floor(files / FILES_PER_WORKER));
  return n <= 1 ? 0 : n;
}

/** Checks `jobs`, on the main thread when `workers` is 0, else in that many worker threads. */
export async function checkAll(jobs: CheckJob[], settings: CheckSettings, workers: number, script: string): Promise<CheckResult[]> {
  if (workers === 0) return jobs.map((job) => checkDockerfile(job, settings));
  const results = new Array<CheckResult>(jobs.length);
  // Batches small enough to share the tail evenly, large enough that messages are few.
  const batch = Math.max(1, Math.min(64, Math.ceil(jobs.length / (workers * 8))));
  let next = 0;
  const threads: Worker[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      let running = 0;
      const feed = (w: Worker) => {
        if (next >= jobs.length) {
          w.postMessage({ stop: true });
          if (--running === 0) resolve();
          return;
        }
        const start = next;
        next = Math.min(jobs.length, next + batch);
        w.postMessage({ start, jobs: jobs.slice(start, next) });
      };
      for (let i = 0; i < workers; i++) {
        const w = new Worker(script, { workerData: { role: WORKER_ROLE, settings } });
        threads.push(w);
        running++;
        w.on('message', (m: { start: number; results: CheckResult[] }) => {
          m.results.forEach((r, k) => (results[m.start + k] = r));
          feed(w);
        });
        w.on('error', reject);
        w.on('exit', (code) => {
          if (code !== 0) reject(new Error(`a worker thread stopped with exit code ${code}`));
        });
        feed(w);
      }
    });
  } finally {
    for (const w of threads) void w.terminate();
  }
  return results;
}

/** The worker side: check each batch the pool sends, send the results back, stop when told. */
export function runWorker(): void {
  const port = parentPort!;
  const settings = (workerData as { settings: CheckSettings }).settings;
  port.on('message', (m: { stop?: true; start: number; jobs: CheckJob[] }) => {
    if (m.stop) {
      port.close();
      return;
    }
    port.postMessage({ start: m.start, results: m.jobs.map((job) => checkDockerfile(job, settings)) });
  });
}

/** Whether this thread is a worker of the pool. */
export function isPoolWorker(): boolean {
  return parentPort !== null && (workerData as { role?: string } | null)?.role === WORKER_ROLE;
}
