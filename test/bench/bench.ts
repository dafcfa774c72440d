/**
 * `npm run bench`: our language server against docker-langserver on generated multi-stage
 * Dockerfiles of 10, 100 and 1000 stages and on moby's Dockerfile from the real corpus; then on
 * every file of that corpus (realFiles.ts); then fresh starts (initialize, and the cold start of
 * coldStart.ts). Not a test: it always exits 0 once it has measured something, and prints which
 * of the goals pass or fail.
 *
 *   node out/test/bench/bench.js [--sizes 10,moby,100,1000] [--iterations N] [--ours-only] ...
 *
 * How it measures a size (see printUsage for the options):
 * - both servers run at the same time and take turns, iteration by iteration (A B A B ...);
 *   each size starts fresh server processes;
 * - each iteration opens a fresh document (new URI, version 1): didOpen → first publishDiagnostics;
 *   then one 'x' typed at the end of a comment line in the middle (version 2): didChange →
 *   publishDiagnostics for version 2; then the requests at the last `--from=<name>` of the file;
 * - after the requests the client drains the server (an unknown request, answered only once the
 *   server has worked off its queue), reads its CPU time from /proc, closes the document, drains again;
 * - the first iteration per server and size is a warm-up and not in the statistics.
 */
import { spawn } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { pathToFileURL } from 'url';
import { describe, definitionLines, renameEditCount } from './answers';
import { BenchClient, canIsolateNetwork, killAllServers, othersIdle, sleep } from './benchClient';
import { generateDockerfile } from './generateDockerfile';
import { coldStartFile, measureColdStart } from './coldStart';
import { CORPUS_RELATIVE, CorpusFile, MOBY_PREFIX, lineCount, mobyFile, readCorpus } from './corpus';
import { BurstResult, CHANGE, CPU, Checks, ColdStartResult, FLOOR_REQUESTS, FloorResult, IterationResult, MEASURES, OPEN, REQUESTS, RealFilesResult, ServerRun, SizeResult, WALL } from './measures';
import { machineInfo } from './procfs';
import { BenchReport, evaluateGoals, printReport, toMarkdown } from './report';
import { BenchTargets, benchTargets, insertAt, scanDockerfile } from './scanDockerfile';
import { measureRealFiles } from './realFiles';
import { Summary, summarize } from './stats';
import { whenFolder } from '../support/folders';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const OURS = 'ours';
const THEIRS = 'docker-langserver';

export interface Options {
  sizes: number[];
  iterations: number;
  warmup: number;
  oursOnly: boolean;
  /** seconds docker-langserver may spend per size before it stops (after at least minTheirs iterations) */
  budgetSeconds: number;
  minTheirs: number;
  timeoutMs: number;
  bursts: number;
  burstEdits: number;
  burstGapMs: number;
  /** fresh starts per server for initialize, and again for the cold start */
  initializeStarts: number;
  /** moby's Dockerfile from the real corpus, measured as a size */
  moby: boolean;
  /** the real-file table */
  real: boolean;
  /** only the real-file table: no sizes, no starts */
  realOnly: boolean;
  realIterations: number;
  /** only the corpus files whose names contain one of these */
  realFiles: string[];
  oursArgv: string[];
  theirsArgv: string[];
  /**
   * The bundle measured as ours (its size, and what runs unless --ours is given). scripts/bench.mjs
   * passes a private copy of dist/server.js taken right after its production build, so that a
   * concurrent `npm test` (which rebuilds dist/ unminified) cannot swap the server mid-run.
   */
  serverFile: string;
  /** serverFile is a copy of dist/server.js */
  snapshot: boolean;
  /** the launcher of a server that loads vscode-languageserver only: the start-up floor */
  floorServer?: string;
  /** the run used the default sizes, iterations, parts and both servers: latest.md is rewritten */
  complete: boolean;
}

function printUsage(): void {
  console.log(`usage: npm run bench [-- options]      (or: node out/test/bench/bench.js [options])

  --sizes 10,moby,100,1000
                        stage counts to generate and measure, and \`moby\`: moby's Dockerfile from
                        ${CORPUS_RELATIVE} (default 10,moby,100,1000)
  --iterations N        measured iterations per server and size (default 10), after --warmup K (default 1)
  --no-real             leave out the real-file table (every file of ${CORPUS_RELATIVE})
  --real-only           the real-file table alone (no sizes, no fresh starts)
  --real-iterations N   measured iterations per server and real file (default 3), after --warmup K
  --real-files A,B      only the corpus files whose names contain A or B
  --starts N            fresh starts per server for initialize and for the cold start (default 10)
  --ours-only           do not start docker-langserver (no ratios)
  --budget S            seconds docker-langserver may take per size before it stops early; it still
                        gets at least 5 measured iterations (default 150)
  --bursts N            typing bursts on our server at the largest generated size (default 5; docker-langserver: 1)
  --timeout MS          per request / per diagnostics timeout (default 60000)
  --ours "CMD"          our server command (default: node dist/server.js --stdio)
  --theirs "CMD"        the other server (default: node node_modules/dockerfile-language-server-nodejs/bin/docker-langserver --stdio)
  --server-snapshot F   run (and size) this copy of dist/server.js; npm run bench passes one taken right after its build

bench/results/bench-<date>.json gets every raw number; bench/results/latest.md the tables, but only
after a complete run (default sizes, iterations and parts, both servers). Without the corpus the
run says so and leaves out moby's Dockerfile and the real-file table.`);
}

export function parseOptions(argv: string[]): Options {
  const o: Options = {
    sizes: [10, 100, 1000],
    iterations: 10,
    warmup: 1,
    oursOnly: false,
    budgetSeconds: 150,
    minTheirs: 5,
    timeoutMs: 60_000,
    bursts: 5,
    burstEdits: 20,
    burstGapMs: 20,
    initializeStarts: 10,
    moby: true,
    real: true,
    realOnly: false,
    realIterations: 3,
    realFiles: [],
    oursArgv: [process.execPath, 'dist/server.js', '--stdio'],
    theirsArgv: [process.execPath, 'node_modules/dockerfile-language-server-nodejs/bin/docker-langserver', '--stdio'],
    serverFile: 'dist/server.js',
    snapshot: false,
    complete: true,
  };
  let customOurs = false;
  const int = (flag: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} needs an integer >= ${min}, got "${v}"`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value after ${flag}`);
      return v;
    };
    switch (flag) {
      case '--sizes': {
        const tokens = value().split(',').map((s) => s.trim()).filter(Boolean);
        o.moby = tokens.includes('moby');
        o.sizes = tokens.filter((s) => s !== 'moby').map((s) => int('--sizes', s, 2));
        o.complete = false;
        break;
      }
      case '--no-real':
        o.real = false;
        o.complete = false;
        break;
      case '--real-only':
        o.realOnly = true;
        o.complete = false;
        break;
      case '--real-iterations':
        o.realIterations = int(flag, value(), 1);
        if (o.realIterations < 3) o.complete = false;
        break;
      case '--real-files':
        o.realFiles = value().split(',').map((s) => s.trim()).filter(Boolean);
        o.complete = false;
        break;
      case '--starts':
        o.initializeStarts = int(flag, value(), 1);
        if (o.initializeStarts < 10) o.complete = false;
        break;
      case '--iterations':
        o.iterations = int(flag, value(), 1);
        if (o.iterations < 10) o.complete = false;
        break;
      case '--warmup':
        o.warmup = int(flag, value(), 0);
        break;
      case '--ours-only':
        o.oursOnly = true;
        o.complete = false;
        break;
      case '--budget':
        o.budgetSeconds = int(flag, value(), 1);
        break;
      case '--bursts':
        o.bursts = int(flag, value(), 0);
        break;
      case '--timeout':
        o.timeoutMs = int(flag, value(), 100);
        break;
      case '--ours':
        o.oursArgv = value().split(/\s+/).filter(Boolean);
        customOurs = true;
        o.complete = false;
        break;
      case '--server-snapshot':
        o.serverFile = value();
        o.snapshot = true;
        break;
      case '--floor-server':
        o.floorServer = value();
        break;
      case '--theirs':
        o.theirsArgv = value().split(/\s+/).filter(Boolean);
        o.complete = false;
        break;
      case '-h':
      case '--help':
        printUsage();
        process.exit(0);
        break;
      default:
        throw new Error(`unknown option ${flag} (see --help)`);
    }
  }
  if (o.sizes.length === 0 && !o.moby) throw new Error('--sizes: no sizes');
  if (o.realOnly && !o.real) throw new Error('--real-only and --no-real exclude each other');
  if (o.realOnly) {
    o.sizes = [];
    o.moby = false;
  }
  if (!customOurs) o.oursArgv = [process.execPath, o.serverFile, '--stdio'];
  o.sizes = [...new Set(o.sizes)].sort((a, b) => a - b);
  o.minTheirs = Math.min(5, o.iterations);
  return o;
}

// ------------------------------------------------------------------------------------------------

interface Fixture {
  /** 'stages-10', 'moby': names its documents and its size in the report */
  key: string;
  /** moby's: the corpus file it was copied from */
  source?: string;
  stages: number;
  file: string;
  text: string;
  editedText: string;
  targets: BenchTargets;
  lines: number;
}

function writeFixture(stages: number, dir: string): Fixture {
  const text = generateDockerfile(stages);
  const key = `stages-${stages}`;
  const file = path.join(dir, `${key}.Dockerfile`);
  fs.writeFileSync(file, text);
  const scan = scanDockerfile(text);
  const targets = benchTargets(scan);
  if (scan.stages.length !== stages) throw new Error(`generator: ${scan.stages.length} stages scanned, ${stages} expected`);
  return { key, stages, file, text, editedText: insertAt(text, targets.edit, 'x'), targets, lines: lineCount(text) };
}

/** moby's Dockerfile as a size: the requests at its last `--from=<stage>`, as on the generated files. */
function realFixture(key: string, source: CorpusFile, dir: string): Fixture {
  const file = path.join(dir, `${key}.Dockerfile`);
  fs.writeFileSync(file, source.text);
  const scan = scanDockerfile(source.text);
  const targets = benchTargets(scan);
  return { key, source: source.name, stages: scan.stages.length, file, text: source.text, editedText: insertAt(source.text, targets.edit, 'x'), targets, lines: lineCount(source.text) };
}

function fixtureTitle(fx: Fixture): string {
  return fx.source ? fx.key : `${fx.stages} stages`;
}

let documentCounter = 0;
function freshUri(fx: Fixture, label: string): string {
  const name = `${fx.key}.${label.replace(/\W+/g, '-')}-${++documentCounter}.Dockerfile`;
  return pathToFileURL(path.join(path.dirname(fx.file), name)).href;
}

/** Our server's latest raw answer to each request, per fixture (for the transport floor). */
const oursLastAnswers = new Map<string, Record<string, unknown>>();

/** What decides, per server and size, whether a request measure runs at all. */
type Gate = (client: BenchClient, name: string) => string | undefined;

async function iteration(client: BenchClient, fx: Fixture, gate: Gate, timeoutMs: number): Promise<IterationResult> {
  const res: IterationResult = { samples: {}, answers: {}, errors: {}, checks: {}, staleAfterChange: 0 };
  const uri = freshUri(fx, client.label);
  const textDocument = { uri };
  const t = fx.targets;
  const cpu0 = client.cpuMs();
  const tIteration = performance.now();

  const opened = await client.open(uri, fx.text);
  if (opened.ms === null) res.errors[OPEN] = client.exited ? 'server exited' : `no publishDiagnostics within ${timeoutMs} ms`;
  else {
    res.samples[OPEN] = opened.ms;
    res.answers[OPEN] = `${opened.event!.count} diagnostics`;
  }
  await client.settle(uri);

  if (client.syncKind === 0) res.errors[CHANGE] = 'server does not sync document changes';
  else {
    const changed = await client.change(uri, 2, t.edit, 'x', fx.editedText);
    res.staleAfterChange = changed.stale;
    if (changed.ms === null) res.errors[CHANGE] = client.exited ? 'server exited' : `no publishDiagnostics for version 2 within ${timeoutMs} ms`;
    else {
      res.samples[CHANGE] = changed.ms;
      const v = changed.event!.version;
      res.answers[CHANGE] = `${changed.event!.count} diagnostics (${changed.sync}, ${v === undefined ? 'unversioned' : `version ${v}`})`;
    }
    await client.settle(uri);
  }

  const params: Record<string, unknown> = {
    definition: { textDocument, position: t.name },
    references: { textDocument, position: t.name, context: { includeDeclaration: true } },
    prepareRename: { textDocument, position: t.name },
    rename: { textDocument, position: t.name, newName: 'renamed_stage' },
    documentHighlight: { textDocument, position: t.name },
    hover: { textDocument, position: t.name },
    completion: { textDocument, position: t.afterFrom, context: { triggerKind: 1 } },
    codeLens: { textDocument },
    documentSymbol: { textDocument },
    foldingRange: { textDocument },
    semanticTokens: { textDocument },
  };
  const checks: Checks = res.checks;
  const timed = async (name: string, method: string) => {
    if (gate(client, name) !== undefined) return;
    const r = await client.request(method, params[name]);
    if (r.error !== undefined) {
      res.errors[name] = r.error;
      if (r.timedOut) await client.drain();
      return;
    }
    res.samples[name] = r.ms;
    res.answers[name] = describe(name, r.result);
    if (client.label === OURS) {
      const kept = oursLastAnswers.get(fx.key) ?? {};
      kept[name] = r.result;
      oursLastAnswers.set(fx.key, kept);
    }
    if (name === 'definition') checks.definition = definitionLines(r.result).includes(t.declaration.line);
    if (name === 'references') checks.references = Array.isArray(r.result) && r.result.length === t.occurrences;
    if (name === 'rename') checks.rename = r.result !== null && renameEditCount(r.result) === t.occurrences;
  };
  for (const { name, method } of REQUESTS) {
    if (name !== 'semanticTokens' && !client.exited) await timed(name, method);
  }

  if (!client.exited) {
    await client.drain();
    const cpu1 = client.cpuMs();
    if (cpu0 !== null && cpu1 !== null) res.samples[CPU] = cpu1 - cpu0;
    // Full semantic tokens last and outside the CPU figure: only docker-langserver offers them, and
    // its implementation is quadratic, so they would swamp the comparable work.
    await timed('semanticTokens', 'textDocument/semanticTokens/full');
    await client.drain();
    await client.close(uri);
    await client.drain();
  }
  client.forget(uri);
  res.samples[WALL] = performance.now() - tIteration;
  return res;
}

// ------------------------------------------------------------------------------------------------

async function typingBurst(client: BenchClient, fx: Fixture, o: Options): Promise<BurstResult> {
  const uri = freshUri(fx, `${client.label}-burst`);
  const result: BurstResult = { label: client.label, edits: o.burstEdits, gapMs: o.burstGapMs, versioned: false, lastEditToDiagnosticsMs: null, publishes: 0, versions: [], stale: 0 };
  try {
    const opened = await client.open(uri, fx.text);
    if (opened.ms === null) throw new Error('no diagnostics after didOpen');
    await client.settle(uri);
    await client.drain();
    const start = client.lastSeq(uri);
    let text = fx.text;
    const lastVersion = 1 + o.burstEdits;
    const t0 = performance.now();
    let tLast = t0;
    for (let i = 0; i < o.burstEdits; i++) {
      const due = t0 + i * o.burstGapMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      const at = { line: fx.targets.edit.line, character: fx.targets.edit.character + i };
      text = insertAt(text, at, 'x');
      tLast = performance.now();
      await client.sendChange(uri, 2 + i, at, 'x', text);
    }
    // The last version's diagnostics; a server without versions answers each change in order, so
    // the publish that answers the last change is the burst's last one.
    let unversioned = 0;
    const final = await client.waitDiagnostics(uri, start, (e) => {
      if (e.version === undefined) return ++unversioned >= o.burstEdits;
      return e.version === lastVersion;
    }, Math.max(o.timeoutMs, 120_000));
    if (final) result.lastEditToDiagnosticsMs = final.t - tLast;
    else result.error = client.exited ? 'server exited' : 'diagnostics for the last version never arrived';
    await client.drain();
    await client.settle(uri, 300, 5000); // late (stale) publishes would show up here
    const events = client.events(uri).filter((e) => e.seq > start);
    result.publishes = events.length;
    result.versions = events.map((e) => e.version ?? null);
    result.versioned = events.some((e) => e.version !== undefined);
    let newest = -Infinity;
    for (const e of events) {
      if (e.version === undefined) continue;
      if (e.version < newest) result.stale++;
      newest = Math.max(newest, e.version);
    }
    await client.close(uri);
    await client.drain();
  } catch (e) {
    result.error = e instanceof Error ? e.message : String(e);
  }
  client.forget(uri);
  return result;
}

// ------------------------------------------------------------------------------------------------

function newRun(client: BenchClient): ServerRun {
  return {
    label: client.label,
    command: client.argv,
    pid: client.pid,
    serverInfo: client.serverInfo,
    initializeMs: client.initializeMs,
    sync: ['none', 'full', 'incremental'][client.syncKind] ?? String(client.syncKind),
    notRun: {},
    warmup: [],
    measured: [],
    stats: {},
    memory: null,
    serverRequests: client.serverRequests,
    stderrTail: [],
  };
}

function makeClient(label: string, argv: string[], o: Options, fixturesDir: string, isolateNetwork = true): BenchClient {
  return new BenchClient({ label, argv, cwd: ROOT, rootUri: pathToFileURL(fixturesDir).href, isolateNetwork, timeoutMs: o.timeoutMs });
}

const progress = (s: string) => process.stderr.write(s);

async function runSize(fx: Fixture, o: Options, fixturesDir: string, previous: SizeResult[], withBurst: boolean): Promise<SizeResult> {
  const tSize = performance.now();
  const size: SizeResult = {
    ...(fx.source ? { name: fx.key, source: fx.source } : {}),
    stages: fx.stages,
    lines: fx.lines,
    bytes: Buffer.byteLength(fx.text),
    fixture: path.relative(ROOT, fx.file),
    target: {
      stageName: fx.targets.stageName,
      name: fx.targets.name,
      afterFrom: fx.targets.afterFrom,
      declarationLine: fx.targets.declaration.line,
      occurrences: fx.targets.occurrences,
      edit: fx.targets.edit,
    },
    servers: {},
    bursts: {},
    burstNotes: [],
    wallSeconds: 0,
  };
  const specs: [string, string[]][] = [[OURS, o.oursArgv]];
  if (!o.oursOnly) specs.push([THEIRS, o.theirsArgv]);
  const clients: BenchClient[] = [];
  for (const [label, argv] of specs) {
    const c = makeClient(label, argv, o, fixturesDir);
    try {
      await c.start();
      size.servers[label] = newRun(c);
      clients.push(c);
    } catch (e) {
      const run = newRun(c);
      run.fatal = `failed to start: ${e instanceof Error ? e.message : String(e)}`;
      run.stderrTail = c.stderrTail.slice(-10);
      size.servers[label] = run;
      await c.stop();
      progress(`  [${fixtureTitle(fx)}] ${label}: ${run.fatal}\n`);
    }
  }

  // Which request measures run, per server: offered, not found too slow before.
  const slow = new Map<BenchClient, Set<string>>();
  const gate: Gate = (client, name) => {
    const run = size.servers[client.label];
    const method = REQUESTS.find((r) => r.name === name)!.method;
    let reason: string | undefined;
    if (!client.offers(method)) reason = 'n/a (not offered)';
    else if (slow.get(client)?.has(name)) reason = 'skipped (took > 20 s once)';
    else if (name === 'semanticTokens') {
      const times = [...run.warmup, ...run.measured].map((r) => r.samples.semanticTokens).filter((x): x is number => x !== undefined);
      if (times.length >= 3 && Math.min(...times) > 2000) reason = `skipped after ${times.length} samples (> 2 s each)`;
      else reason = semanticTokensGate(client.label, fx, previous);
    }
    if (reason !== undefined) run.notRun[name] = reason;
    return reason;
  };

  const total = o.warmup + o.iterations;
  const spent = new Map<BenchClient, number>(clients.map((c) => [c, 0]));
  const last = new Map<BenchClient, number>(clients.map((c) => [c, 0]));
  for (let round = 0; ; round++) {
    const turns = clients.filter((c) => {
      const run = size.servers[c.label];
      if (!c.alive || run.fatal) return false;
      const done = run.warmup.length + run.measured.length;
      if (done >= total) return false;
      if (c.label === THEIRS && run.measured.length >= o.minTheirs && spent.get(c)! + last.get(c)! > o.budgetSeconds * 1000) {
        run.stoppedBy = `time budget: ${run.measured.length} of ${o.iterations} measured iterations in ${(spent.get(c)! / 1000).toFixed(0)} s (budget ${o.budgetSeconds} s)`;
        return false;
      }
      return true;
    });
    if (turns.length === 0) break;
    const line: string[] = [];
    for (const c of turns) {
      const run = size.servers[c.label];
      // The servers take turns on a 2-core machine: wait until the others have finished what the
      // last iteration left them doing (their CPU time stops growing), so that no server is timed
      // while another still works in the background.
      await othersIdle(clients.filter((other) => other !== c && other.alive));
      const t0 = performance.now();
      let r: IterationResult;
      try {
        r = await iteration(c, fx, gate, o.timeoutMs);
      } catch (e) {
        run.fatal = `iteration ${round} failed: ${e instanceof Error ? e.message : String(e)}`;
        run.stderrTail = c.stderrTail.slice(-10);
        progress(`  [${fixtureTitle(fx)}] ${c.label}: ${run.fatal}\n`);
        continue;
      }
      const ms = performance.now() - t0;
      spent.set(c, spent.get(c)! + ms);
      last.set(c, ms);
      for (const { name } of REQUESTS) {
        if ((r.samples[name] ?? 0) > 20_000) (slow.get(c) ?? slow.set(c, new Set()).get(c)!).add(name);
      }
      (round < o.warmup ? run.warmup : run.measured).push(r);
      if (c.exited && !run.fatal) {
        run.fatal = `server exited (${JSON.stringify(c.exited)}) in iteration ${round}`;
        run.stderrTail = c.stderrTail.slice(-10);
      }
      line.push(`${c.label} ${(ms / 1000).toFixed(2)} s`);
    }
    progress(`  [${fixtureTitle(fx)}] round ${round + 1}/${total}${round < o.warmup ? ' (warm-up)' : ''}: ${line.join(', ')}\n`);
  }

  for (const c of clients) {
    const run = size.servers[c.label];
    run.memory = c.memory();
    for (const m of [...MEASURES, WALL]) run.stats[m] = summarize(run.measured.map((r) => r.samples[m]));
  }

  if (withBurst) {
    for (const c of clients) {
      const run = size.servers[c.label];
      if (!c.alive || run.fatal) continue;
      let count = c.label === OURS ? o.bursts : Math.min(1, o.bursts);
      if (c.label !== OURS) {
        const perEdit = run.stats[CHANGE]?.median ?? null;
        const predicted = perEdit === null ? null : (perEdit * o.burstEdits) / 1000;
        if (predicted === null || predicted > 90) {
          size.burstNotes.push(`${c.label}: typing burst skipped (${predicted === null ? 'no change→diagnostics time' : `would take about ${predicted.toFixed(0)} s`})`);
          count = 0;
        }
      }
      size.bursts[c.label] = [];
      for (let i = 0; i < count; i++) {
        progress(`  [${fixtureTitle(fx)}] typing burst ${i + 1}/${count}: ${c.label}\n`);
        size.bursts[c.label].push(await typingBurst(c, fx, o));
      }
    }
  }

  for (const c of clients) {
    const run = size.servers[c.label];
    if (!run.stderrTail.length) run.stderrTail = c.stderrTail.slice(-10);
    await c.stop();
  }
  size.wallSeconds = (performance.now() - tSize) / 1000;
  return size;
}

/**
 * docker-langserver's full semantic tokens is quadratic in the file size (seconds at 100 stages,
 * minutes at 1000), and a running request cannot be interrupted. Above 100 stages it runs only when
 * a smaller size of this run predicts, quadratically, under 5 s.
 */
function semanticTokensGate(label: string, fx: Fixture, previous: SizeResult[]): string | undefined {
  if (fx.stages <= 100) return undefined;
  const smaller = [...previous].reverse().find((p) => p.servers[label]?.stats.semanticTokens?.median != null);
  if (!smaller) return 'skipped (no smaller size in this run to extrapolate from; can take minutes)';
  const predicted = smaller.servers[label].stats.semanticTokens.median! * (fx.lines / smaller.lines) ** 2;
  return predicted > 5000 ? `skipped (about ${(predicted / 1000).toFixed(0)} s predicted from ${smaller.stages} stages, quadratic)` : undefined;
}

const FLOOR = 'vscode-languageserver alone';
const BARE_NODE = 'node -e 0';

/**
 * Fresh starts, interleaved round by round so that the machine's moods fall on all alike: ours,
 * docker-langserver, the floor server when given, and a bare `node -e 0` (spawn → exit).
 */
async function measureInitialize(o: Options, fixturesDir: string, samples: Record<string, number[]>, floorArgv?: string[]): Promise<void> {
  const specs: [string, string[]][] = [[OURS, o.oursArgv]];
  if (!o.oursOnly) specs.push([THEIRS, o.theirsArgv]);
  if (floorArgv) specs.push([FLOOR, floorArgv]);
  for (let i = 0; i < o.initializeStarts; i++) {
    for (const [label, argv] of specs) {
      // Spawned as an editor spawns a server: `unshare -n` (used for the measured runs, to show
      // that no server reaches the network) costs a process start of its own.
      const c = makeClient(label, argv, o, fixturesDir, false);
      try {
        await c.start();
        (samples[label] ??= []).push(c.initializeMs);
      } catch {
        /* reported when the sizes start it */
      }
      await c.stop();
    }
    (samples[BARE_NODE] ??= []).push(...(await nodeStartTimes(1)));
  }
}

/**
 * The transport floor at one size: the same answers our server gave, sent by a stub server that
 * does no work (stubServer.ts), timed with the same client. What is left of our time above it is
 * our server's own work; the floor is what moving the answer costs here.
 */
async function measureFloor(o: Options, fixturesDir: string, fx: Fixture): Promise<FloorResult | undefined> {
  const stages = fx.stages;
  const answers = oursLastAnswers.get(fx.key);
  if (!answers) return undefined;
  const floorRequests = REQUESTS.filter((r) => r.name in answers && FLOOR_REQUESTS.includes(r.name));
  const file = path.join(fixturesDir, `answers-${stages}.json`);
  fs.writeFileSync(file, JSON.stringify(Object.fromEntries(floorRequests.map((r) => [r.method, answers[r.name]]))));
  const stub = makeClient('stub', [process.execPath, path.join(ROOT, 'out', 'test', 'bench', 'stubServer.js'), file], o, fixturesDir, false);
  const result: FloorResult = { stages, medians: {}, bytes: {} };
  try {
    await stub.start();
    for (const r of floorRequests) {
      const samples: number[] = [];
      for (let i = 0; i < Math.max(10, o.iterations); i++) {
        const answer = await stub.request(r.method, {});
        if (answer.error !== undefined) break;
        samples.push(answer.ms);
      }
      result.medians[r.name] = summarize(samples).median ?? undefined;
      result.bytes[r.name] = Buffer.byteLength(JSON.stringify(answers[r.name]));
    }
  } finally {
    await stub.stop();
    fs.rmSync(file, { force: true });
  }
  return result;
}

/** Starts the floor server once with its code cache written at once; false if it does not start. */
async function primeFloor(o: Options, fixturesDir: string): Promise<boolean> {
  const launcher = o.floorServer!;
  const dir = path.dirname(launcher);
  const cached = () => fs.readdirSync(dir).some((f) => f.endsWith('.v8cache'));
  const primer = new BenchClient({
    label: FLOOR, argv: [process.execPath, launcher, '--stdio'], cwd: ROOT, rootUri: pathToFileURL(fixturesDir).href,
    isolateNetwork: false, timeoutMs: o.timeoutMs, env: { DOCKERFILE_STAGES_CODE_CACHE_DELAY_MS: '0' },
  });
  try {
    await primer.start();
    await whenFolder(dir, cached);
    return true;
  } catch {
    return false;
  } finally {
    await primer.stop();
  }
}

/** spawn → exit of `node -e 0`, a few times: the part of initialize no server can avoid here. */
async function nodeStartTimes(n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const child = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    const ok = await new Promise<boolean>((resolve) => {
      child.once('exit', (code) => resolve(code === 0));
      child.once('error', () => resolve(false));
    });
    if (ok) times.push(performance.now() - t0);
  }
  return times;
}

function packageVersion(dir: string): string | undefined {
  try {
    return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', dir, 'package.json'), 'utf8')) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** The command as the user typed it (without the snapshot path scripts/bench.mjs adds). */
function commandLine(args: string[]): string {
  const shown: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--server-snapshot' || args[i] === '--floor-server') i++;
    else shown.push(/\s/.test(args[i]) ? `"${args[i]}"` : args[i]);
  }
  return `npm run bench${shown.length ? ` -- ${shown.join(' ')}` : ''}`;
}

function fileHash(file: string): string | null {
  try {
    return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  } catch {
    return null;
  }
}

function stamp(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

async function main(): Promise<number> {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`bench: ${e instanceof Error ? e.message : String(e)}`);
    return 2;
  }
  process.chdir(ROOT);
  const started = new Date();
  const loadAverageStart = os.loadavg();
  const tStart = performance.now();
  const fixturesDir = path.join(ROOT, 'bench', 'fixtures');
  const resultsDir = path.join(ROOT, 'bench', 'results');
  fs.mkdirSync(fixturesDir, { recursive: true });
  fs.mkdirSync(resultsDir, { recursive: true });

  const serverFile = path.resolve(ROOT, o.serverFile);
  // dist/server.js is a small launcher; the server itself is server-main.js beside it.
  const serverMain = path.join(path.dirname(serverFile), 'server-main.js');
  const serverParts = [serverFile, serverMain].filter((f) => fs.existsSync(f));
  const serverBytes = fs.existsSync(serverFile) ? serverParts.reduce((n, f) => n + fs.statSync(f).size, 0) : null;
  const serverHash = fileHash(serverParts.at(-1) ?? serverFile);
  // esbuild's minified output has very long lines; its default build one statement per line
  const serverLargest = serverParts.at(-1) ?? serverFile;
  const serverMinified = serverBytes !== null && fs.statSync(serverLargest).size / Math.max(1, fs.readFileSync(serverLargest, 'utf8').split('\n').length) > 500;
  const corpus = readCorpus();
  const moby = corpus && o.moby ? mobyFile(corpus) : undefined;
  const fixtures = o.sizes.map((n) => writeFixture(n, fixturesDir));
  let mobyNote: string | undefined;
  if (moby) {
    try {
      fixtures.push(realFixture('moby', moby, fixturesDir));
    } catch (e) {
      mobyNote = `moby's Dockerfile is left out: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  fixtures.sort((a, b) => a.lines - b.lines);
  const realFiles = corpus && o.real ? corpus.filter((f) => o.realFiles.length === 0 || o.realFiles.some((part) => f.name.includes(part))) : [];
  const theirsVersion = packageVersion('dockerfile-language-server-nodejs');
  const isolated = canIsolateNetwork();
  const corpusNote = corpus === undefined
    ? `no real corpus at ${CORPUS_RELATIVE} (from the project root): moby's Dockerfile, the real-file table and the real cold-start file are left out`
    : o.moby && !moby ? `the real corpus has no ${MOBY_PREFIX}: moby's Dockerfile is left out` : mobyNote;

  console.log(`dockerfile-stages benchmark: ours (${o.oursArgv.join(' ')}) vs ${o.oursOnly ? 'nothing (--ours-only)' : `docker-langserver ${theirsVersion ?? '?'} (${o.theirsArgv.join(' ')})`}`);
  console.log(`  servers run ${isolated ? 'under `unshare -n` (no network)' : 'with network (unshare -n is not available)'}; dist/server.js with server-main.js ${serverBytes === null ? 'missing' : `${(serverBytes / 1024).toFixed(1)} KB${serverMinified ? '' : ' (NOT minified)'}`}${o.snapshot ? ` (measured from a copy taken right after the build: ${o.serverFile})` : ''}`);
  if (corpusNote) console.log(`  ${corpusNote}`);
  for (const fx of fixtures) {
    const t = fx.targets;
    console.log(`  fixture ${path.relative(ROOT, fx.file)}${fx.source ? ` (${fx.source})` : ''}: ${fx.stages} stages, ${fx.lines} lines; requests at --from=${t.stageName} (L${t.name.line + 1}:${t.name.character + 1}; declared L${t.declaration.line + 1}, ${t.occurrences} occurrences); edit at L${t.edit.line + 1}`);
  }
  if (fixtures.length) console.log(`  ${o.iterations} measured iterations (+${o.warmup} warm-up) per server and size, interleaved${o.oursOnly ? '' : `; docker-langserver stops after ${o.budgetSeconds} s per size once it has ${o.minTheirs}`}`);
  if (realFiles.length) console.log(`  real-file table: ${realFiles.length} files of ${CORPUS_RELATIVE}, ${o.realIterations} measured iterations (+${o.warmup} warm-up) per server and file, interleaved`);
  console.log('');

  const initializeSamples: Record<string, number[]> = { [OURS]: [], [THEIRS]: [] };
  // The very first start of our server runs without its V8 code cache (it writes one a few
  // seconds after a start): measured once here, before anything else ran it.
  const codeCacheDir = o.oursArgv[1] === o.serverFile && fs.existsSync(serverFile) ? path.dirname(serverFile) : undefined;
  const hasCodeCache = () => (codeCacheDir ? fs.readdirSync(codeCacheDir).some((f) => f.endsWith('.v8cache')) : undefined);
  const firstStart: Record<string, number[]> = { [OURS]: [], [THEIRS]: [] };
  const firstWithoutCache = !o.realOnly && hasCodeCache() === false;
  if (firstWithoutCache) await measureInitialize({ ...o, oursOnly: true, initializeStarts: 1 }, fixturesDir, firstStart);
  delete firstStart[BARE_NODE];

  const sizes: SizeResult[] = [];
  const generated = fixtures.filter((fx) => !fx.source);
  const largest = generated.length ? generated.reduce((a, b) => (b.stages > a.stages ? b : a)) : undefined;
  for (const fx of fixtures) {
    sizes.push(await runSize(fx, o, fixturesDir, sizes, fx === largest));
  }

  const floor = largest ? await measureFloor(o, fixturesDir, largest) : undefined;

  const servers: [string, string[]][] = [[OURS, o.oursArgv]];
  if (!o.oursOnly) servers.push([THEIRS, o.theirsArgv]);
  let real: RealFilesResult | undefined;
  if (realFiles.length) {
    progress(`  real-file table: ${realFiles.length} files\n`);
    real = await measureRealFiles({
      files: realFiles,
      corpusFiles: corpus?.length ?? 0,
      corpus: CORPUS_RELATIVE,
      servers,
      makeClient: (label, argv) => makeClient(label, argv, o, fixturesDir),
      iterations: o.realIterations,
      warmup: o.warmup,
      documentsDir: fixturesDir,
      progress,
    });
  }

  // Then the starts an editor sees from the second one on (the servers above ran long enough
  // to write the cache).
  const oursCodeCache = o.realOnly ? undefined : hasCodeCache();
  let floorInitialize: Summary | undefined;
  let coldStart: ColdStartResult | undefined;
  if (!o.realOnly) {
    progress(`  initialize: ${o.initializeStarts} fresh starts per server\n`);
    const withFloor = o.floorServer !== undefined && (await primeFloor(o, fixturesDir));
    const floorArgv = withFloor ? [process.execPath, o.floorServer!, '--stdio'] : undefined;
    await measureInitialize(o, fixturesDir, initializeSamples, floorArgv);
    if (withFloor) floorInitialize = summarize(initializeSamples[FLOOR] ?? []);
    const file = coldStartFile(corpus);
    progress(`  cold start: ${o.initializeStarts} fresh starts per server, each opening ${file.name} (${file.lines} lines)\n`);
    // Spawned directly, as for initialize: what an editor's start costs.
    coldStart = await measureColdStart(floorArgv ? [...servers, [FLOOR, floorArgv]] : servers, (label, argv) => makeClient(label, argv, o, fixturesDir, false), file, o.initializeStarts, fixturesDir);
  }
  const nodeStart = initializeSamples[BARE_NODE] ?? [];

  const report: BenchReport = {
    date: started.toISOString(),
    command: commandLine(process.argv.slice(2)),
    machine: { ...machineInfo(), node: process.version, platform: `${os.platform()} ${os.arch()}`, loadAverageStart, loadAverageEnd: os.loadavg() },
    options: o,
    networkIsolated: isolated,
    serverBytes,
    serverChanged: fileHash(serverParts.at(-1) ?? serverFile) !== serverHash,
    serverMinified,
    theirsVersion,
    initialize: { [OURS]: summarize(initializeSamples[OURS]), [THEIRS]: summarize(initializeSamples[THEIRS] ?? []) },
    initializeSamples,
    nodeStartMs: summarize(nodeStart),
    oursCodeCache,
    floor,
    floorInitialize,
    oursFirstStartMs: firstWithoutCache ? firstStart[OURS][0] : undefined,
    corpus: { dir: CORPUS_RELATIVE, found: corpus !== undefined, note: corpusNote },
    sizes,
    real,
    coldStart,
    goals: [],
    wallSeconds: 0,
  };
  report.goals = evaluateGoals(report);
  report.wallSeconds = (performance.now() - tStart) / 1000;
  const text = printReport(report);
  console.log(text);

  const jsonFile = path.join(resultsDir, `bench-${stamp(started)}.json`);
  // Paths of this machine stay out of a file that may be committed: a temporary copy is named by
  // its file name, anything under the repository relative to it.
  const tmp = os.tmpdir();
  const portable = (_key: string, v: unknown) =>
    typeof v !== 'string' ? v : v.startsWith(tmp + path.sep) ? `<temporary copy>/${path.basename(v)}` : v.startsWith(ROOT + path.sep) ? path.relative(ROOT, v) : v;
  writeAtomically(jsonFile, JSON.stringify(report, portable, 1) + '\n');
  console.log(`\nraw results: ${path.relative(ROOT, jsonFile)}`);
  if (o.complete) {
    writeAtomically(path.join(resultsDir, 'latest.md'), toMarkdown(report));
    console.log('tables: bench/results/latest.md');
  } else {
    console.log('bench/results/latest.md not updated (a partial run: --sizes, --iterations < 10, --ours-only, --ours, --theirs, --no-real, --real-only, --real-files, --real-iterations < 3 or --starts < 10)');
  }
  const ours = sizes.flatMap((s) => (s.servers[OURS] ? [s.servers[OURS]] : []));
  const oursReal = real?.files.some((f) => Object.keys(f.servers[OURS]?.samples ?? {}).length > 0) ?? false;
  return ours.some((r) => r.measured.length > 0) || oursReal ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}
process.on('exit', killAllServers);

main().then(
  (code) => {
    killAllServers();
    process.exit(code);
  },
  (e: unknown) => {
    console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
    killAllServers();
    process.exit(1);
  },
);
