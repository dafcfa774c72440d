/**
 * Cold start as an editor sees it: spawn → initialize → initialized → didOpen of a small real file
 * → its first publishDiagnostics, on a fresh process each time. The servers take turns start by
 * start (ours, docker-langserver, the floor server), so that the machine's moods fall on all alike.
 * The floor server (floorServer.ts) publishes empty diagnostics on didOpen: it walks the same path
 * with no work on it.
 */
import * as path from 'path';
import { pathToFileURL } from 'url';
import { BenchClient } from './benchClient';
import { CorpusFile, lineCount } from './corpus';
import { generateDockerfile } from './generateDockerfile';
import { ColdStartResult } from './measures';
import { scanDockerfile } from './scanDockerfile';
import { summarize } from './stats';

/** About the length of a Dockerfile one edits day to day. */
const COLD_START_LINES = 60;

/**
 * The corpus's multi-stage file nearest COLD_START_LINES lines (ties: the first by name); without
 * a corpus, a generated file of 3 stages.
 */
export function coldStartFile(files: readonly CorpusFile[] | undefined): CorpusFile & { lines: number; generated: boolean } {
  let best: (CorpusFile & { lines: number }) | undefined;
  for (const f of files ?? []) {
    if (scanDockerfile(f.text).stages.length < 2) continue;
    const lines = lineCount(f.text);
    if (!best || Math.abs(lines - COLD_START_LINES) < Math.abs(best.lines - COLD_START_LINES)) best = { ...f, lines };
  }
  if (best) return { ...best, generated: false };
  const text = generateDockerfile(3);
  return { name: 'generated 3-stage Dockerfile', text, lines: lineCount(text), generated: true };
}

export async function measureColdStart(
  servers: [string, string[]][],
  makeClient: (label: string, argv: string[]) => BenchClient,
  file: CorpusFile & { lines: number; generated: boolean },
  starts: number,
  documentsDir: string,
): Promise<ColdStartResult> {
  const result: ColdStartResult = { file: file.name, lines: file.lines, samples: {}, initialize: {}, stats: {}, errors: {} };
  const name = file.generated ? 'cold-start.Dockerfile' : file.name;
  for (let i = 0; i < starts; i++) {
    for (const [label, argv] of servers) {
      const c = makeClient(label, argv);
      try {
        await c.start();
        const opened = await c.open(pathToFileURL(path.join(documentsDir, `cold-${i}`, name)).href, file.text);
        if (opened.event) {
          (result.samples[label] ??= []).push(opened.event.t - c.spawnedAt);
          (result.initialize[label] ??= []).push(c.initializeMs);
        } else result.errors[label] ??= c.exited ? 'server exited' : 'no publishDiagnostics after didOpen';
      } catch (e) {
        result.errors[label] ??= e instanceof Error ? e.message : String(e);
      }
      await c.stop();
    }
  }
  for (const [label] of servers) result.stats[label] = summarize(result.samples[label] ?? []);
  return result;
}
