/**
 * The real-file table: every Dockerfile of the real corpus opened, edited by one typed character
 * and queried, by each server in turn. One process per server serves the whole table (as in an
 * editor that opens file after file); each file gets a few iterations per server, interleaved,
 * every one on a fresh document:
 *   didOpen → diagnostics; one character typed (realTargets in scanDockerfile.ts) → diagnostics
 *   for version 2; definition, rename, completion, hover, documentSymbol, codeLens at the file's
 *   stage reference (else its first FROM's image); drain; didClose; drain.
 * A request the server answers with an error (rename on an image, say) is still an answer the
 * editor waited for, and is timed; timeouts and exits are not.
 */
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { definitionLines, describe } from './answers';
import { BenchClient, othersIdle } from './benchClient';
import { CorpusFile, lineCount } from './corpus';
import { CHANGE, OPEN, REAL_MEASURES, REAL_REQUESTS, REQUESTS, RealFileResult, RealFileServer, RealFilesResult } from './measures';
import { RealTargets, insertAt, realTargets, scanDockerfile } from './scanDockerfile';
import { summarize } from './stats';

export interface RealFilesOptions {
  files: CorpusFile[];
  corpusFiles: number;
  corpus: string;
  /** [label, command] per server, ours first */
  servers: [string, string[]][];
  /** a started-to-be client for a server (the caller decides isolation, timeouts, folders) */
  makeClient: (label: string, argv: string[]) => BenchClient;
  iterations: number;
  warmup: number;
  /** where the documents' URIs point (nothing is written there) */
  documentsDir: string;
  progress: (line: string) => void;
}

interface Prepared {
  file: CorpusFile;
  targets: RealTargets;
  editedText: string;
  lines: number;
  stages: number;
}

interface Sample {
  samples: Record<string, number>;
  answers: Record<string, string>;
  errors: Record<string, string>;
  definitionOk?: boolean;
}

let documentCounter = 0;

export async function measureRealFiles(o: RealFilesOptions): Promise<RealFilesResult> {
  const t0 = performance.now();
  const result: RealFilesResult = {
    corpus: o.corpus,
    corpusFiles: o.corpusFiles,
    iterations: o.iterations,
    warmup: o.warmup,
    files: [],
    peakRssMB: {},
    restarts: [],
    wallSeconds: 0,
  };
  const clients = new Map<string, BenchClient>();
  const start = async (label: string, argv: string[]): Promise<BenchClient | undefined> => {
    const c = o.makeClient(label, argv);
    try {
      await c.start();
      clients.set(label, c);
      return c;
    } catch (e) {
      await c.stop();
      result.restarts.push(`${label} did not start: ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    }
  };
  for (const [label, argv] of o.servers) await start(label, argv);

  for (const [index, file] of o.files.entries()) {
    const scan = scanDockerfile(file.text);
    const targets = realTargets(scan);
    const prepared: Prepared = { file, targets, editedText: insertAt(file.text, targets.edit, targets.editText), lines: lineCount(file.text), stages: scan.stages.length };
    const row: RealFileResult = {
      file: file.name,
      lines: prepared.lines,
      bytes: Buffer.byteLength(file.text),
      stages: prepared.stages,
      target: { kind: targets.kind, name: targets.name, at: targets.at, declarationLine: targets.declarationLine, edit: targets.edit, editText: targets.editText },
      servers: {},
    };
    const kept = new Map<string, Sample[]>();
    const times = new Map<string, number>();
    for (let round = 0; round < o.warmup + o.iterations; round++) {
      for (const [label, argv] of o.servers) {
        let c = clients.get(label);
        if (c && !c.alive) {
          result.restarts.push(`${label} exited (${JSON.stringify(c.exited)}) before ${file.name}; started again`);
          await c.stop();
          c = await start(label, argv);
        }
        if (!c) continue;
        await othersIdle([...clients.values()].filter((other) => other !== c && other.alive));
        const t = performance.now();
        const sample = await iteration(c, prepared, o.documentsDir);
        times.set(label, (times.get(label) ?? 0) + performance.now() - t);
        if (round >= o.warmup) (kept.get(label) ?? kept.set(label, []).get(label)!).push(sample);
      }
    }
    for (const [label] of o.servers) {
      const c = clients.get(label);
      row.servers[label] = summarizeServer(kept.get(label) ?? [], c ? REAL_REQUESTS.filter((r) => !c.offers(methodOf(r))) : []);
    }
    result.files.push(row);
    o.progress(`  [real ${index + 1}/${o.files.length}] ${file.name}: ${[...times].map(([l, ms]) => `${l} ${(ms / 1000).toFixed(2)} s`).join(', ')}\n`);
  }

  for (const [label, c] of clients) {
    result.peakRssMB[label] = c.memory()?.peakRssMB ?? null;
    await c.stop();
  }
  result.wallSeconds = (performance.now() - t0) / 1000;
  return result;
}

function methodOf(name: string): string {
  return REQUESTS.find((r) => r.name === name)!.method;
}

async function iteration(client: BenchClient, f: Prepared, documentsDir: string): Promise<Sample> {
  const s: Sample = { samples: {}, answers: {}, errors: {} };
  // A folder per document keeps the file's own name (Dockerfile.windows, x.Dockerfile) in the URI.
  const uri = pathToFileURL(path.join(documentsDir, `real-${client.label.replace(/\W+/g, '-')}-${++documentCounter}`, f.file.name)).href;
  const textDocument = { uri };
  const t = f.targets;
  const failed = (what: string) => (client.exited ? 'server exited' : `no ${what}`);

  const opened = await client.open(uri, f.file.text);
  if (opened.ms === null) s.errors[OPEN] = failed('publishDiagnostics');
  else {
    s.samples[OPEN] = opened.ms;
    s.answers[OPEN] = `${opened.event!.count} diagnostics`;
  }
  await client.settle(uri);

  if (client.syncKind === 0) s.errors[CHANGE] = 'server does not sync document changes';
  else if (!client.exited) {
    const changed = await client.change(uri, 2, t.edit, t.editText, f.editedText);
    if (changed.ms === null) s.errors[CHANGE] = failed('publishDiagnostics for version 2');
    else {
      s.samples[CHANGE] = changed.ms;
      s.answers[CHANGE] = `${changed.event!.count} diagnostics`;
    }
    await client.settle(uri);
  }

  const params: Record<string, unknown> = {
    definition: { textDocument, position: t.at },
    rename: { textDocument, position: t.at, newName: 'renamed_stage' },
    completion: { textDocument, position: t.start, context: { triggerKind: 1 } },
    hover: { textDocument, position: t.at },
    documentSymbol: { textDocument },
    codeLens: { textDocument },
  };
  for (const name of REAL_REQUESTS) {
    const method = methodOf(name);
    if (client.exited || !client.offers(method)) continue;
    const r = await client.request(method, params[name]);
    if (r.timedOut || client.exited) {
      s.errors[name] = r.error ?? 'server exited';
      if (r.timedOut) await client.drain();
      continue;
    }
    s.samples[name] = r.ms;
    s.answers[name] = r.error !== undefined ? `error ${r.error.slice(0, 60)}` : describe(name, r.result);
    if (name === 'definition' && t.declarationLine !== undefined) s.definitionOk = r.error === undefined && definitionLines(r.result).includes(t.declarationLine);
  }

  if (!client.exited) {
    await client.drain();
    await client.close(uri);
    await client.drain();
  }
  client.forget(uri);
  return s;
}

function summarizeServer(samples: Sample[], notOffered: string[]): RealFileServer {
  const out: RealFileServer = { samples: {}, medians: {}, answers: { ...(samples[0]?.answers ?? {}) }, errors: {}, notOffered };
  for (const m of REAL_MEASURES) {
    const xs = samples.map((s) => s.samples[m]).filter((x): x is number => x !== undefined);
    if (xs.length) out.samples[m] = xs.map((x) => Math.round(x * 1000) / 1000);
    out.medians[m] = summarize(xs).median;
    const error = samples.find((s) => s.errors[m] !== undefined)?.errors[m];
    if (error !== undefined) out.errors[m] = error;
  }
  const checks = samples.map((s) => s.definitionOk).filter((x): x is boolean => x !== undefined);
  if (checks.length) out.definitionOk = checks.every(Boolean);
  return out;
}
