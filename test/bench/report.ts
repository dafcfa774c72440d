/** The benchmark's tables and its goals, as plain text (console) and markdown (latest.md). */
import { CHANGE, CPU, ColdStartResult, FAST_REQUEST_GOALS, FloorResult, MEASURES, OPEN, REAL_MEASURES, REQUESTS, RealFileResult, RealFilesResult, ServerRun, SizeResult } from './measures';
import { Summary, fmtMs, fmtRatio, markdownTable, median, textTable } from './stats';

const OURS = 'ours';
const THEIRS = 'docker-langserver';
const FLOOR = 'vscode-languageserver alone';
const GOAL_SIZE = 1000;
const LINEAR_FROM = 100;
const MAX_LINEAR_FACTOR = 12;
const MAX_SERVER_BYTES = 500 * 1024;
const MAX_FAST_REQUEST_MS = 10;
const MAX_BURST_MS = 100;
/** open→diagnostics on files people have: the 10-stage fixture and moby's Dockerfile */
const SMALL_OPEN_FACTOR = 1.5;
const SMALL_OPEN_SIZES = ['10', 'moby'];
/** our documentSymbol at 1000 stages ÷ the same answer sent by a server that does no work */
const MAX_TRANSPORT_FLOOR_FACTOR = 1.25;
/** ms our initialize may take above a server that loads vscode-languageserver alone */
const MAX_INITIALIZE_OVER_FLOOR_MS = 10;
/** ms our cold start (spawn → diagnostics of a small file) may take above that server's: initialize's margin, and as much for loading the engine and checking the file */
const MAX_COLD_START_OVER_FLOOR_MS = 20;

export type Verdict = 'PASS' | 'FAIL' | 'NOT JUDGED';

export interface Goal {
  goal: string;
  /** the size table the goal belongs to (sizeKey), if any */
  size?: string;
  /** the table row the goal belongs to, if any */
  row?: string;
  /** the goal as shown in that row */
  short?: string;
  verdict: Verdict;
  detail: string;
}

export interface BenchReport {
  date: string;
  command: string;
  machine: { cpuModel: string; cores: number; memoryMB: number; kernel: string; node: string; platform: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  options: { iterations: number; warmup: number; oursOnly: boolean; realOnly: boolean; budgetSeconds: number; minTheirs: number; bursts: number; burstEdits: number; burstGapMs: number; initializeStarts: number; oursArgv: string[]; theirsArgv: string[]; serverFile: string; snapshot: boolean };
  networkIsolated: boolean;
  serverBytes: number | null;
  /** dist/server.js was rewritten while the benchmark ran */
  serverChanged: boolean;
  /** dist/server.js looked minified (the production build) when the run started */
  serverMinified: boolean;
  theirsVersion?: string;
  initialize: Record<string, Summary>;
  initializeSamples: Record<string, number[]>;
  /** spawn → exit of `node -e 0`: the floor under any Node server's initialize time here */
  nodeStartMs: Summary;
  /** Whether our server's V8 code cache (written beside the bundle by a start) was there for the fresh starts */
  oursCodeCache?: boolean;
  /** spawn → initialize result of our server's very first start, before it had a code cache */
  oursFirstStartMs?: number;
  /** The same answers sent by a stub server that does no work, at the largest size */
  floor?: FloorResult;
  /** initialize of a server that loads vscode-languageserver only, started like ours */
  floorInitialize?: Summary;
  /** the real corpus: where it is looked for, whether it was there, what was left out without it */
  corpus: { dir: string; found: boolean; note?: string };
  sizes: SizeResult[];
  /** every file of the real corpus, both servers */
  real?: RealFilesResult;
  /** spawn → diagnostics of a small file, per server and the floor server */
  coldStart?: ColdStartResult;
  goals: Goal[];
  wallSeconds: number;
}

// ---- cells ---------------------------------------------------------------------------------------

function medianOf(run: ServerRun | undefined, measure: string): number | null {
  return run?.stats[measure]?.median ?? null;
}

function cell(run: ServerRun | undefined, measure: string): string {
  if (!run) return '—';
  const reason = run.notRun[measure];
  if (reason?.startsWith('n/a')) return 'n/a';
  const st = run.stats[measure];
  if (st?.median != null) return st.n < run.measured.length ? `${fmtMs(st.median)} (n=${st.n})` : fmtMs(st.median);
  if (reason?.startsWith('skipped')) return 'skipped';
  if (run.fatal) return 'failed';
  return [...run.warmup, ...run.measured].some((r) => r.errors[measure] !== undefined) ? 'error' : '—';
}

function ratio(ours: ServerRun | undefined, theirs: ServerRun | undefined, measure: string): number | null {
  const a = medianOf(ours, measure);
  const b = medianOf(theirs, measure);
  return a !== null && b !== null && a > 0 ? b / a : null;
}

function peakMB(run: ServerRun | undefined): number | null {
  return run?.memory?.peakRssMB ?? null;
}

// ---- goals ---------------------------------------------------------------------------------------

/** A generated size by its stage count (moby's Dockerfile is not one). */
function sizeOf(report: BenchReport, stages: number): SizeResult | undefined {
  return report.sizes.find((s) => s.name === undefined && s.stages === stages);
}

/** '10', '1000', 'moby': how goals name the size they belong to. */
export function sizeKey(size: SizeResult): string {
  return size.name ?? String(size.stages);
}

function sizeByKey(report: BenchReport, key: string): SizeResult | undefined {
  return report.sizes.find((s) => sizeKey(s) === key);
}

/** How a goal names a size: "at 1000 stages", "on moby's Dockerfile". */
function where(key: string): string {
  return /^\d+$/.test(key) ? `at ${key} stages` : `on ${key}'s Dockerfile`;
}

/** Goal and verdict per row of one size's table (measure → [goal, verdict]); goals on one row are joined. */
function rowGoals(report: BenchReport, key: string): Map<string, [string, string]> {
  const rows = new Map<string, [string, string]>();
  for (const g of report.goals) {
    if (g.size !== key || !g.row || !g.short) continue;
    const had = rows.get(g.row);
    if (!had) rows.set(g.row, [g.short, g.verdict]);
    else rows.set(g.row, [`${had[0]}; ${g.short}`, had[1] === 'FAIL' || g.verdict === 'FAIL' ? 'FAIL' : had[1] === 'PASS' && g.verdict === 'PASS' ? 'PASS' : 'NOT JUDGED']);
  }
  return rows;
}

export function evaluateGoals(report: BenchReport): Goal[] {
  // The real-file table alone: the other goals would only say that their parts did not run.
  if (report.options.realOnly) return [realFilesGoal(report)];
  const goals: Goal[] = [];
  const big = sizeOf(report, GOAL_SIZE);
  const oursOnly = report.options.oursOnly;
  const notRun = `${GOAL_SIZE} stages not measured in this run`;

  const speedGoal = (measure: string, factor: number, maxMs?: number, key = String(GOAL_SIZE)): Goal => {
    const short = `≥${factor}×${maxMs !== undefined ? `, < ${maxMs} ms` : ''}`;
    const g = speedVerdict(measure, factor, maxMs, key);
    return { ...g, size: key, row: measure, short };
  };
  const speedVerdict = (measure: string, factor: number, maxMs: number | undefined, key: string): Goal => {
    const goal = `${measure} ≥${factor}× faster${maxMs !== undefined ? ` and < ${maxMs} ms median` : ''} ${where(key)}`;
    const size = sizeByKey(report, key);
    if (!size) return { goal, verdict: 'NOT JUDGED', detail: `${where(key).replace(/^(at|on) /, '')} not measured in this run` };
    const ours = size.servers[OURS];
    const theirs = size.servers[THEIRS];
    const mine = medianOf(ours, measure);
    const reason = ours?.notRun[measure];
    if (reason?.startsWith('n/a')) return { goal, verdict: 'FAIL', detail: 'our server does not offer it' };
    if (mine === null) return { goal, verdict: 'FAIL', detail: `no time for our server (${firstError(ours, measure) ?? 'not measured'})` };
    const parts: string[] = [`ours ${fmtMs(mine)} ms`];
    let ok = true;
    if (maxMs !== undefined) {
      ok = mine < maxMs;
      if (!ok) parts.push(`not < ${maxMs} ms`);
    }
    if (oursOnly) return { goal, verdict: ok ? 'NOT JUDGED' : 'FAIL', detail: `${parts.join(', ')}; ratio not judged (--ours-only)` };
    if (theirs?.notRun[measure]?.startsWith('n/a')) {
      if (maxMs === undefined) return { goal, verdict: 'NOT JUDGED', detail: `${parts.join(', ')}; docker-langserver does not offer it` };
      return { goal, verdict: ok ? 'PASS' : 'FAIL', detail: `${parts.join(', ')}; docker-langserver does not offer it: judged by our time only` };
    }
    const r = ratio(ours, theirs, measure);
    if (r === null) return { goal, verdict: ok ? 'NOT JUDGED' : 'FAIL', detail: `${parts.join(', ')}; no docker-langserver time (${firstError(theirs, measure) ?? theirs?.fatal ?? 'not measured'})` };
    parts.push(`docker-langserver ${fmtMs(medianOf(theirs, measure))} ms, ${fmtRatio(r)}`);
    if (r < factor) ok = false;
    return { goal, verdict: ok ? 'PASS' : 'FAIL', detail: parts.join(', ') };
  };

  goals.push(speedGoal(CHANGE, 20));
  for (const name of FAST_REQUEST_GOALS) {
    const g = speedGoal(name, 50, MAX_FAST_REQUEST_MS);
    const floor = report.floor?.stages === GOAL_SIZE ? report.floor.medians[name] : undefined;
    if (floor !== undefined) g.detail += `; transport floor ${fmtMs(floor)} ms (${((report.floor!.bytes[name] ?? 0) / 1024).toFixed(0)} KB answer)`;
    goals.push(g);
  }
  goals.push(speedGoal(OPEN, 5));
  for (const key of SMALL_OPEN_SIZES) goals.push(speedGoal(OPEN, SMALL_OPEN_FACTOR, undefined, key));

  {
    const goal = `lower peak RSS at ${GOAL_SIZE} stages`;
    const row = { row: 'peak RSS (MB)', short: 'lower' };
    const a = peakMB(big?.servers[OURS]);
    const b = peakMB(big?.servers[THEIRS]);
    if (!big) goals.push({ goal, verdict: 'NOT JUDGED', detail: notRun });
    else if (oursOnly || b === null) goals.push({ goal, ...row, verdict: 'NOT JUDGED', detail: `ours ${a?.toFixed(0) ?? '?'} MB; no docker-langserver figure` });
    else if (a === null) goals.push({ goal, ...row, verdict: 'FAIL', detail: 'no figure for our server' });
    else goals.push({ goal, ...row, verdict: a < b ? 'PASS' : 'FAIL', detail: `ours ${a.toFixed(0)} MB vs docker-langserver ${b.toFixed(0)} MB (VmHWM after the iterations)` });
  }

  {
    const goal = `typing burst at ${GOAL_SIZE} stages: last version's diagnostics within ${MAX_BURST_MS} ms of the last edit, never stale`;
    const bursts = big?.bursts[OURS] ?? [];
    if (!big) goals.push({ goal, verdict: 'NOT JUDGED', detail: notRun });
    else if (bursts.length === 0) goals.push({ goal, verdict: 'NOT JUDGED', detail: 'no burst run (--bursts 0?)' });
    else {
      const times = bursts.map((b) => b.lastEditToDiagnosticsMs).filter((x): x is number => x !== null);
      const stale = bursts.reduce((n, b) => n + b.stale, 0);
      const failed = bursts.filter((b) => b.error !== undefined || b.lastEditToDiagnosticsMs === null);
      const med = median(times);
      const ok = failed.length === 0 && med !== null && med <= MAX_BURST_MS && stale === 0 && bursts.every((b) => b.versioned);
      const detail = [
        `median ${fmtMs(med)} ms, max ${fmtMs(times.length ? Math.max(...times) : null)} ms over ${bursts.length} bursts`,
        `${stale} stale publishes`,
        ...(failed.length ? [`${failed.length} bursts failed: ${failed[0].error ?? 'no final diagnostics'}`] : []),
        ...(bursts.every((b) => b.versioned) ? [] : ['publishes carry no version']),
      ];
      goals.push({ goal, verdict: ok ? 'PASS' : 'FAIL', detail: detail.join('; ') });
    }
  }

  {
    const goal = `linear cost: our median at ${GOAL_SIZE} stages ÷ at ${LINEAR_FROM} stages ≤ ${MAX_LINEAR_FACTOR} for every measure`;
    const small = sizeOf(report, LINEAR_FROM);
    if (!big || !small) goals.push({ goal, verdict: 'NOT JUDGED', detail: `needs both ${LINEAR_FROM} and ${GOAL_SIZE} stages` });
    else {
      const factors = linearFactors(small, big);
      const over = factors.filter(([, f]) => f > MAX_LINEAR_FACTOR);
      const worst = [...factors].sort((a, b) => b[1] - a[1])[0];
      goals.push({
        goal,
        verdict: factors.length === 0 ? 'NOT JUDGED' : over.length ? 'FAIL' : 'PASS',
        detail: over.length
          ? `over ${MAX_LINEAR_FACTOR}: ${over.map(([m, f]) => `${m} ${f.toFixed(1)}`).join(', ')}`
          : worst ? `largest: ${worst[0]} ${worst[1].toFixed(1)} (${factors.length} measures)` : 'no measure on both sizes',
      });
    }
  }

  {
    const goal = 'dist/server.js < 500 KB';
    const b = report.serverBytes;
    goals.push(b === null
      ? { goal, verdict: 'FAIL', detail: 'dist/server.js missing' }
      : { goal, verdict: b < MAX_SERVER_BYTES ? 'PASS' : 'FAIL', detail: `${(b / 1024).toFixed(1)} KB${report.serverMinified ? ' (minified production bundle: the launcher dist/server.js with the server-main.js it runs)' : ' (NOT minified: someone rebuilt dist/ without --production?)'}` });
  }

  {
    const goal = `documentSymbol at ${GOAL_SIZE} stages within ${MAX_TRANSPORT_FLOOR_FACTOR}× of its transport floor (the same answer sent by a server that does no work, this run)`;
    const mine = medianOf(big?.servers[OURS], 'documentSymbol');
    const floor = report.floor?.stages === GOAL_SIZE ? report.floor.medians.documentSymbol : undefined;
    const row = { size: String(GOAL_SIZE), row: 'documentSymbol', short: `≤${MAX_TRANSPORT_FLOOR_FACTOR}× floor` };
    if (!big) goals.push({ goal, verdict: 'NOT JUDGED', detail: notRun });
    else if (mine === null) goals.push({ goal, ...row, verdict: 'FAIL', detail: 'no time for our server' });
    else if (floor === undefined) goals.push({ goal, ...row, verdict: 'NOT JUDGED', detail: `ours ${fmtMs(mine)} ms; no transport floor measured` });
    else {
      const r = mine / floor;
      goals.push({ goal, ...row, verdict: r <= MAX_TRANSPORT_FLOOR_FACTOR ? 'PASS' : 'FAIL', detail: `ours ${fmtMs(mine)} ms, floor ${fmtMs(floor)} ms (${((report.floor!.bytes.documentSymbol ?? 0) / 1024).toFixed(0)} KB answer): ${r.toFixed(2)}×` });
    }
  }

  {
    const goal = `initialize within ${MAX_INITIALIZE_OVER_FLOOR_MS} ms of a server that loads vscode-languageserver alone`;
    const s = report.initialize[OURS];
    const t = report.initialize[THEIRS];
    const floor = report.floorInitialize?.median;
    const others = `${t?.median != null ? `; docker-langserver ${fmtMs(t.median)} ms` : ''}; bare \`node -e 0\` ${fmtMs(report.nodeStartMs.median)} ms`;
    if (report.options.realOnly) goals.push({ goal, verdict: 'NOT JUDGED', detail: 'no fresh starts in this run (--real-only)' });
    else if (s?.median == null) goals.push({ goal, verdict: 'FAIL', detail: 'our server never initialized' });
    else if (floor == null) goals.push({ goal, verdict: 'NOT JUDGED', detail: `median ${fmtMs(s.median)} ms from spawn to the initialize result; no floor server in this run${others}` });
    else {
      const gap = s.median - floor;
      goals.push({
        goal,
        verdict: gap <= MAX_INITIALIZE_OVER_FLOOR_MS ? 'PASS' : 'FAIL',
        detail: `median ${fmtMs(s.median)} ms from spawn to the initialize result (n=${s.n}, max ${fmtMs(s.max)}), floor ${fmtMs(floor)} ms: ${signedMs(gap)}${others}`,
      });
    }
  }

  goals.push(coldStartGoal(report));
  goals.push(realFilesGoal(report));
  return goals;
}

/** +4.2 ms, −1.3 ms */
function signedMs(ms: number): string {
  return `${ms < 0 ? '−' : '+'}${fmtMs(Math.abs(ms))} ms`;
}

function coldStartGoal(report: BenchReport): Goal {
  const c = report.coldStart;
  const goal = `cold start (spawn → initialize → didOpen → diagnostics of ${c ? `a ${c.lines}-line file` : 'a small file'}) faster than docker-langserver and within ${MAX_COLD_START_OVER_FLOOR_MS} ms of a server that loads vscode-languageserver alone`;
  if (!c) return { goal, verdict: 'NOT JUDGED', detail: 'no fresh starts in this run (--real-only)' };
  const mine = c.stats[OURS]?.median ?? null;
  const theirs = c.stats[THEIRS]?.median ?? null;
  const floor = c.stats[FLOOR]?.median ?? null;
  if (mine === null) return { goal, verdict: 'FAIL', detail: `no time for our server (${c.errors[OURS] ?? 'not measured'})` };
  const parts = [`ours ${fmtMs(mine)} ms (n=${c.stats[OURS].n})`];
  let ok = true;
  let judged = true;
  if (theirs === null) {
    judged = false;
    parts.push(report.options.oursOnly ? 'docker-langserver not run (--ours-only)' : `no docker-langserver time (${c.errors[THEIRS] ?? 'not measured'})`);
  } else {
    parts.push(`docker-langserver ${fmtMs(theirs)} ms (${fmtRatio(theirs / mine)})`);
    if (mine >= theirs) ok = false;
  }
  if (floor === null) {
    judged = false;
    parts.push('no floor server in this run');
  } else {
    parts.push(`floor ${fmtMs(floor)} ms: ${signedMs(mine - floor)}`);
    if (mine - floor > MAX_COLD_START_OVER_FLOOR_MS) ok = false;
  }
  return { goal, verdict: !ok ? 'FAIL' : judged ? 'PASS' : 'NOT JUDGED', detail: `${parts.join(', ')}; ${c.file}` };
}

/** [measure, our median at big ÷ at small]; CPU only where the 10 ms clock resolution allows. */
function linearFactors(small: SizeResult, big: SizeResult): [string, number][] {
  const out: [string, number][] = [];
  for (const m of MEASURES) {
    const a = medianOf(small.servers[OURS], m);
    const b = medianOf(big.servers[OURS], m);
    if (a === null || b === null || a <= 0) continue;
    if (m === CPU && a < 50) continue;
    out.push([m, b / a]);
  }
  return out;
}

function firstError(run: ServerRun | undefined, measure: string): string | undefined {
  for (const r of [...(run?.measured ?? []), ...(run?.warmup ?? [])]) if (r.errors[measure] !== undefined) return r.errors[measure];
  return undefined;
}

// ---- real files ----------------------------------------------------------------------------------

/** A measure docker-langserver does not offer on a file: judged by our time alone (< MAX_FAST_REQUEST_MS). */
function oursAlone(file: RealFileResult, measure: string): boolean {
  const theirs = file.servers[THEIRS];
  return theirs !== undefined && theirs.notOffered.includes(measure);
}

interface RealException {
  file: string;
  measure: string;
  why: string;
}

/**
 * Where ours is not faster: per file and measure, our median ≥ docker-langserver's, or no time for
 * ours; on what docker-langserver does not offer, our median ≥ MAX_FAST_REQUEST_MS. `uncompared`
 * counts the pairs where only docker-langserver had no time.
 */
function realExceptions(real: RealFilesResult): { exceptions: RealException[]; uncompared: number } {
  const exceptions: RealException[] = [];
  let uncompared = 0;
  for (const f of real.files) {
    const ours = f.servers[OURS];
    const theirs = f.servers[THEIRS];
    for (const m of REAL_MEASURES) {
      if (ours?.notOffered.includes(m)) {
        exceptions.push({ file: f.file, measure: m, why: 'not offered by ours' });
        continue;
      }
      const a = ours?.medians[m] ?? null;
      if (oursAlone(f, m)) {
        if (a === null) exceptions.push({ file: f.file, measure: m, why: `no time for ours (${ours?.errors[m] ?? 'not measured'})` });
        else if (a >= MAX_FAST_REQUEST_MS) exceptions.push({ file: f.file, measure: m, why: `ours ${fmtMs(a)} ms, not < ${MAX_FAST_REQUEST_MS} ms` });
        continue;
      }
      const b = theirs?.medians[m] ?? null;
      if (a === null) exceptions.push({ file: f.file, measure: m, why: `no time for ours (${ours?.errors[m] ?? 'not measured'})` });
      else if (b === null) uncompared++;
      else if (a >= b) exceptions.push({ file: f.file, measure: m, why: `ours ${fmtMs(a)} ms vs ${fmtMs(b)} ms` });
    }
  }
  return { exceptions, uncompared };
}

/** Exceptions grouped by measure: "open→diagnostics (3): a (ours 2.1 ms vs 1.9 ms), b (...)". */
function groupedExceptions(exceptions: RealException[], perMeasure = Infinity): string[] {
  const out: string[] = [];
  for (const m of REAL_MEASURES) {
    const list = exceptions.filter((e) => e.measure === m);
    if (!list.length) continue;
    const shown = list.slice(0, perMeasure).map((e) => `${e.file} (${e.why})`);
    out.push(`${m} (${list.length}): ${shown.join(', ')}${list.length > shown.length ? `, and ${list.length - shown.length} more` : ''}`);
  }
  return out;
}

function realFilesGoal(report: BenchReport): Goal {
  const real = report.real;
  const goal = `real corpus: ours faster on every measure of every file (${REAL_MEASURES.join(', ')}; where docker-langserver has no such feature, ours < ${MAX_FAST_REQUEST_MS} ms)`;
  if (!real) {
    const why = !report.corpus.found ? `was left out: no corpus at ${report.corpus.dir}` : 'was not run (--no-real, or no file matched --real-files)';
    return { goal, verdict: 'NOT JUDGED', detail: `the real-file table ${why}` };
  }
  if (report.options.oursOnly) return { goal, verdict: 'NOT JUDGED', detail: 'docker-langserver not run (--ours-only)' };
  const { exceptions, uncompared } = realExceptions(real);
  const scope = `${real.files.length}${real.files.length < real.corpusFiles ? ` of ${real.corpusFiles}` : ''} files × ${REAL_MEASURES.length} measures`;
  const skipped = uncompared ? `; ${uncompared} not compared (no docker-langserver time)` : '';
  if (exceptions.length === 0) return { goal, verdict: 'PASS', detail: `no exception on ${scope}${skipped}` };
  const files = new Set(exceptions.map((e) => e.file)).size;
  return { goal, verdict: 'FAIL', detail: `${exceptions.length} exception${exceptions.length === 1 ? '' : 's'} on ${files} file${files === 1 ? '' : 's'} (${scope}${skipped}): ${groupedExceptions(exceptions, 5).join('; ')}` };
}

function realFilesTable(report: BenchReport, real: RealFilesResult): Table {
  const withTheirs = !report.options.oursOnly;
  const header = ['measure', 'ours (median of files, ms)'];
  if (withTheirs) header.push('docker-langserver', 'median theirs/ours', 'ours faster on');
  header.push('slowest file (ours)');
  const rows: string[][] = [];
  for (const m of REAL_MEASURES) {
    const mine = real.files.flatMap((f) => (f.servers[OURS]?.medians[m] != null ? [{ file: f.file, ms: f.servers[OURS].medians[m]! }] : []));
    const theirs = real.files.flatMap((f) => (f.servers[THEIRS]?.medians[m] != null ? [f.servers[THEIRS].medians[m]!] : []));
    const pairs = real.files.flatMap((f) => {
      const a = f.servers[OURS]?.medians[m];
      const b = f.servers[THEIRS]?.medians[m];
      return a != null && b != null && a > 0 ? [{ a, b }] : [];
    });
    const slowest = mine.reduce<{ file: string; ms: number } | undefined>((w, x) => (!w || x.ms > w.ms ? x : w), undefined);
    const row = [m, fmtMs(median(mine.map((x) => x.ms)))];
    if (withTheirs) {
      const alone = real.files.length > 0 && real.files.every((f) => oursAlone(f, m));
      if (alone) {
        const fast = mine.filter((x) => x.ms < MAX_FAST_REQUEST_MS).length;
        row.push('n/a', 'n/a', `n/a (< ${MAX_FAST_REQUEST_MS} ms on ${fast} of ${real.files.length})`);
      } else {
        row.push(fmtMs(median(theirs)), fmtRatio(median(pairs.map((p) => p.b / p.a))), `${pairs.filter((p) => p.a < p.b).length} of ${pairs.length}`);
      }
    }
    row.push(slowest ? `${slowest.file} ${fmtMs(slowest.ms)}` : '—');
    rows.push(row);
  }

  const notes: string[] = [];
  // In a fixed order, each with how many files it applies to.
  const counted = (described: Record<string, string>, values: string[]) =>
    Object.entries(described).flatMap(([key, text]) => {
      const n = values.filter((v) => v === key).length;
      return n ? [`${text} in ${n} file${n === 1 ? '' : 's'}`] : [];
    }).join(', ');
  const kinds = { 'from-flag': 'a `--from=<stage>`', 'from-base': 'a `FROM <stage>`', 'mount-from': 'a `--mount=…,from=<stage>`', image: "the first FROM's image (no stage reference)" };
  const edits = { x: '`x` at the end of the comment line nearest the middle', '#': '`#` on the empty last line', '\n': 'a line break at the end' };
  notes.push(`queried at: ${counted(kinds, real.files.map((f) => f.target.kind))}; typed: ${counted(edits, real.files.map((f) => f.target.editText))}`);
  for (const label of withTheirs ? [OURS, THEIRS] : [OURS]) {
    const runs = real.files.map((f) => f.servers[label]).filter((r) => r !== undefined);
    const checks = runs.map((r) => r.definitionOk).filter((x): x is boolean => x !== undefined);
    const failedFiles = real.files.filter((f) => Object.keys(f.servers[label]?.errors ?? {}).length > 0);
    const firstError = failedFiles.length ? Object.entries(failedFiles[0].servers[label].errors)[0] : undefined;
    const rss = real.peakRssMB[label];
    notes.push(`${label}: one process for the whole table${rss != null ? ` (peak RSS ${rss.toFixed(0)} MB)` : ''}; definition on the stage's \`AS\` line in ${checks.filter(Boolean).length} of ${checks.length} files with a stage reference${failedFiles.length ? `; failures on ${failedFiles.length} files (first: ${failedFiles[0].file}: ${firstError![0]} ${firstError![1]})` : ''}`);
  }
  for (const r of real.restarts) notes.push(r);
  if (withTheirs) {
    const { exceptions } = realExceptions(real);
    if (exceptions.length) {
      notes.push(`where ours is not faster (${exceptions.length}):`);
      for (const line of groupedExceptions(exceptions)) notes.push(`  ${line}`);
    }
  }
  const scope = real.files.length < real.corpusFiles ? `${real.files.length} of the ${real.corpusFiles}` : `all ${real.files.length}`;
  return { title: `Real files (${scope} Dockerfiles of ${real.corpus})`, header, rows, notes };
}

function coldStartTable(report: BenchReport, c: ColdStartResult): Table {
  const rows: string[][] = [];
  for (const [label, st] of Object.entries(c.stats)) {
    const init = c.initialize[label] ?? [];
    const after = (c.samples[label] ?? []).map((ms, i) => ms - init[i]);
    rows.push([label, fmtMs(st.median), fmtMs(median(init)), fmtMs(median(after)), fmtMs(st.min), fmtMs(st.max), String(st.n)]);
  }
  const notes = Object.entries(c.errors).map(([label, e]) => `${label}: ${e}`);
  if (report.oursCodeCache !== undefined) notes.push(report.oursCodeCache ? 'ours started from its V8 code cache, as from its second start on in an editor' : 'ours had no V8 code cache (a short run: the server writes it a few seconds after a start)');
  return {
    title: `Cold start (${c.file}, ${c.lines} lines)`,
    header: ['server', 'spawn → diagnostics (median ms)', 'of which spawn → initialize', 'initialize → diagnostics', 'min', 'max', 'starts'],
    rows,
    notes,
  };
}

// ---- tables --------------------------------------------------------------------------------------

interface Table {
  title: string;
  header: string[];
  rows: string[][];
  notes: string[];
}

function sizeTable(report: BenchReport, size: SizeResult): Table {
  const ours = size.servers[OURS];
  const theirs = size.servers[THEIRS];
  const withTheirs = !report.options.oursOnly;
  const goals = rowGoals(report, sizeKey(size));
  const isGoalSize = goals.size > 0;
  const small = sizeOf(report, LINEAR_FROM);
  const linear = size === sizeOf(report, GOAL_SIZE) && small ? new Map(linearFactors(small, size)) : undefined;

  const header = ['measure (median ms)', 'ours'];
  if (withTheirs) header.push('docker-langserver', 'theirs/ours');
  if (linear) header.push(`ours ${GOAL_SIZE}/${LINEAR_FROM}`);
  if (isGoalSize) header.push('goal', 'result');

  const rows: string[][] = [];
  for (const m of MEASURES) {
    if (m === 'semanticTokens' && cell(ours, m) === 'n/a' && (!withTheirs || cell(theirs, m) === 'n/a')) continue;
    const row = [m, cell(ours, m)];
    if (withTheirs) row.push(cell(theirs, m), fmtRatio(ratio(ours, theirs, m)));
    if (linear) row.push(linear.has(m) ? linear.get(m)!.toFixed(1) : '—');
    if (isGoalSize) row.push(...(goals.get(m) ?? ['', '']));
    rows.push(row);
  }
  const a = peakMB(ours);
  const b = peakMB(theirs);
  const rss = ['peak RSS (MB)', a === null ? '—' : a.toFixed(0)];
  if (withTheirs) rss.push(b === null ? '—' : b.toFixed(0), a !== null && b !== null ? `${(b / a).toFixed(1)}×` : 'n/a');
  if (linear) rss.push('');
  if (isGoalSize) rss.push(...(goals.get('peak RSS (MB)') ?? ['', '']));
  rows.push(rss);

  const notes: string[] = [];
  for (const run of [ours, theirs]) {
    if (!run) continue;
    const n = run.measured.length;
    notes.push(`${run.label}: ${n} measured iterations (+${run.warmup.length} warm-up), ${run.sync} sync${run.stoppedBy ? `; stopped early by the ${run.stoppedBy}` : ''}${run.fatal ? `; FAILED: ${run.fatal}` : ''}`);
    const sanity = sanityLine(run, size);
    if (sanity) notes.push(`  sanity: ${sanity}`);
    const first = run.measured[0] ?? run.warmup[0];
    if (first) {
      const answers = [OPEN, CHANGE, ...REQUESTS.map((r) => r.name)].filter((m) => first.answers[m] !== undefined).map((m) => `${m} ${first.answers[m]}`);
      if (answers.length) notes.push(`  answers: ${answers.join('; ')}`);
    }
    const notRun = Object.entries(run.notRun).filter(([, why]) => !why.startsWith('n/a')).map(([m, why]) => `${m} ${why}`);
    if (notRun.length) notes.push(`  not run: ${notRun.join('; ')}`);
    const errors = errorSummary(run);
    if (errors) notes.push(`  errors: ${errors}`);
    const stale = [...run.warmup, ...run.measured].reduce((s, r) => s + r.staleAfterChange, 0);
    if (stale) notes.push(`  ${stale} publishes for another version arrived while waiting for version 2`);
  }
  const missing = REQUESTS.filter((r) => theirs?.notRun[r.name]?.startsWith('n/a') && !ours?.notRun[r.name]?.startsWith('n/a')).map((r) => r.name);
  if (withTheirs && missing.length) notes.push(`docker-langserver does not offer ${missing.join(', ')}: no ratio; the goal is judged by our time only`);

  const bursts = Object.entries(size.bursts).filter(([, list]) => list.length);
  if (bursts.length || size.burstNotes.length) {
    notes.push(`typing burst (${report.options.burstEdits} one-character edits ${report.options.burstGapMs} ms apart; time from the last edit to the last version's diagnostics):`);
    for (const [label, list] of bursts) {
      const times = list.map((b) => b.lastEditToDiagnosticsMs).filter((x): x is number => x !== null);
      const stale = list.reduce((s, b) => s + b.stale, 0);
      const errs = list.filter((b) => b.error).map((b) => b.error);
      const versioned = list.every((b) => b.versioned);
      notes.push(`  ${label}: median ${fmtMs(median(times))} ms (${list.length === 1 ? 'one burst' : `max ${fmtMs(Math.max(...times))} ms over ${list.length} bursts`}), ${fmtMs(median(list.map((b) => b.publishes)))} publishes per burst, ${versioned ? `${stale} stale` : 'unversioned publishes (staleness cannot be checked)'}${errs.length ? `; errors: ${errs[0]}` : ''}`);
    }
    for (const note of size.burstNotes) notes.push(`  ${note}`);
  }
  const extent = `${size.lines.toLocaleString('en-US')} lines, ${(size.bytes / 1024).toFixed(0)} KB`;
  const title = size.source ? `${size.name}'s Dockerfile (${size.source}: ${size.stages} stages, ${extent})` : `${size.stages} stages (${extent})`;
  return { title, header, rows, notes };
}

function sanityLine(run: ServerRun, size: SizeResult): string {
  const all = run.measured.length ? run.measured : run.warmup;
  const verdict = (key: 'definition' | 'references' | 'rename', expected: string): string | undefined => {
    const values = all.map((r) => r.checks[key]).filter((v): v is boolean => v !== undefined);
    if (values.length === 0) return run.notRun[key] ? `${key} ${run.notRun[key]}` : `${key} no answer`;
    const bad = values.filter((v) => !v).length;
    const answer = all.find((r) => r.answers[key] !== undefined)?.answers[key] ?? '';
    return `${key} ${bad === 0 ? 'OK' : `WRONG in ${bad}/${values.length}`} (${answer}; expected ${expected})`;
  };
  const t = size.target;
  return [
    verdict('definition', `L${t.declarationLine + 1}`),
    verdict('references', `${t.occurrences}`),
    verdict('rename', `${t.occurrences} edits`),
  ].join('; ');
}

function errorSummary(run: ServerRun): string {
  const seen = new Map<string, number>();
  for (const r of [...run.warmup, ...run.measured]) {
    for (const [m, e] of Object.entries(r.errors)) {
      const key = `${m}: ${e}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  return [...seen.entries()].slice(0, 5).map(([k, n]) => `${k}${n > 1 ? ` (×${n})` : ''}`).join('; ');
}

function floorLine(report: BenchReport): string[] {
  const f = report.floor;
  if (!f) return [];
  const parts = Object.entries(f.medians).map(([name, ms]) => `${name} ${fmtMs(ms)} ms (${((f.bytes[name] ?? 0) / 1024).toFixed(0)} KB)`);
  return [`transport floor at ${f.stages} stages (our answers sent from memory by a stub server that does no work, same client; medians): ${parts.join(', ')}`, ''];
}

function initializeLine(report: BenchReport): string {
  const o = report.initialize[OURS];
  const t = report.initialize[THEIRS];
  return `initialize (spawn → initialize result, median of ${o?.n ?? 0} starts): ours ${fmtMs(o?.median)} ms${report.options.oursOnly ? '' : `, docker-langserver ${fmtMs(t?.median)} ms`}${report.oursCodeCache === undefined ? '' : report.oursCodeCache ? `; ours starts from the V8 code cache its first start wrote beside the bundle${report.oursFirstStartMs === undefined ? '' : ` (that first start, without it: ${fmtMs(report.oursFirstStartMs)} ms)`}` : '; ours had no V8 code cache'}; spawned directly, as an editor does (not under \`unshare -n\`); for reference, a server that loads vscode-languageserver and nothing else, bundled and launched like ours: ${fmtMs(report.floorInitialize?.median)} ms, and spawn → exit of a bare \`node -e 0\`: ${fmtMs(report.nodeStartMs.median)} ms`;
}

/** A command line as shown: the node binary's path shortened to `node`. */
function shown(argv: string[]): string {
  return argv.map((a) => (/(^|[\\/])node(\.exe)?$/.test(a) ? 'node' : a)).join(' ');
}

function header(report: BenchReport): string[] {
  const m = report.machine;
  const o = report.options;
  return [
    `command: ${report.command}`,
    `date: ${report.date}; machine: ${m.cpuModel}, ${m.cores} cores, ${(m.memoryMB / 1024).toFixed(1)} GB, ${m.kernel}; Node ${m.node}; load average ${m.loadAverageStart[0].toFixed(1)} at the start, ${m.loadAverageEnd[0].toFixed(1)} at the end${Math.max(m.loadAverageStart[0], m.loadAverageEnd[0]) > m.cores ? ' (a busy machine: absolute times are inflated, ratios less so)' : ''}`,
    `ours: ${o.snapshot && o.oursArgv[1] === o.serverFile ? `node dist/server.js --stdio, run from a private copy taken right after the production build so that concurrent rebuilds of dist/ cannot swap it` : shown(o.oursArgv)} (dist/server.js with server-main.js: ${report.serverBytes === null ? 'missing' : `${(report.serverBytes / 1024).toFixed(1)} KB${report.serverMinified ? ', minified' : ', NOT minified: not the production build'}`})`,
    ...(report.serverChanged ? ['WARNING: dist/server.js changed during the run (rebuilt by someone else?): later sizes may have measured another build'] : []),
    ...(o.oursOnly ? [] : [`docker-langserver ${report.theirsVersion ?? '?'}: ${shown(o.theirsArgv)}`]),
    ...(report.corpus.note ? [report.corpus.note] : []),
    ...(report.sizes.length ? sizeLines(report) : []),
    ...(report.real ? [realLine(report, report.real)] : []),
    ...(report.coldStart ? [startsLine(report, report.coldStart)] : []),
  ];
}

function sizeLines(report: BenchReport): string[] {
  const o = report.options;
  const generated = report.sizes.filter((s) => !s.source).map((s) => s.stages);
  const real = report.sizes.filter((s) => s.source).map((s) => `${s.name}'s Dockerfile (${s.source} of ${report.corpus.dir})`);
  const list = (xs: string[]) => (xs.length > 1 ? `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}` : xs.join(''));
  const sizes = [...(generated.length ? [`generated files of ${list(generated.map(String))} stages`] : []), ...real].join(', and ');
  return [
    `sizes: ${sizes}; ${report.networkIsolated ? 'both servers run under `unshare -n` (no network); ' : ''}${o.iterations} measured iterations (+${o.warmup} warm-up) per server and size, interleaved, fresh servers per size${o.oursOnly ? '' : `; docker-langserver may stop after ${o.budgetSeconds} s per size once it has ${o.minTheirs}`}`,
    'each iteration (once the other server is idle: its CPU time stopped growing): fresh document → didOpen → diagnostics; one character typed in a comment (incremental didChange) → diagnostics for version 2; then each request at the last `--from=<name>` that names a stage (completion just after `--from=`); drain; server CPU (user+sys from /proc); full semantic tokens if offered (not in the CPU figure); didClose',
  ];
}

function realLine(report: BenchReport, real: RealFilesResult): string {
  const scope = real.files.length < real.corpusFiles ? `${real.files.length} of the ${real.corpusFiles}` : `each of the ${real.files.length}`;
  return `real files: ${scope} Dockerfiles of ${real.corpus} in turn, one process per server for the whole table${report.networkIsolated ? ' (under `unshare -n`)' : ''}, ${real.iterations} measured iterations (+${real.warmup} warm-up) per server and file, interleaved: fresh document → didOpen → diagnostics; one character typed (\`x\` at the end of the comment line nearest the middle, else at the end of the file) → diagnostics for version 2; ${REAL_MEASURES.slice(2).join(', ')} at the file's last stage reference (\`--from=<stage>\`, else \`FROM <stage>\`, else \`--mount=…,from=<stage>\`; completion at its start), else at its first FROM's image; drain; didClose. Per measure: the median over files of each file's median`;
}

function startsLine(report: BenchReport, c: ColdStartResult): string {
  return `fresh starts, ${report.options.initializeStarts} per server, taking turns, spawned directly as an editor does (not under \`unshare -n\`): initialize (spawn → initialize result) and cold start (spawn → initialize → initialized → didOpen of ${c.file}, ${c.lines} lines → its first diagnostics); the floor for both: a server that loads vscode-languageserver alone, bundled and launched like ours, publishing empty diagnostics on didOpen`;
}

export function printReport(report: BenchReport): string {
  const out: string[] = ['', '='.repeat(100), ...header(report), ''];
  for (const size of report.sizes) {
    const t = sizeTable(report, size);
    out.push(`== ${t.title}`, textTable(t.header, t.rows), ...t.notes, '');
  }
  out.push(...floorLine(report));
  if (report.real) {
    const t = realFilesTable(report, report.real);
    out.push(`== ${t.title}`, textTable(t.header, t.rows), ...t.notes, '');
  }
  if (!report.options.realOnly) out.push(initializeLine(report), '');
  if (report.coldStart) {
    const t = coldStartTable(report, report.coldStart);
    out.push(`== ${t.title}`, textTable(t.header, t.rows), ...t.notes, '');
  }
  out.push('== goals');
  out.push(textTable(['goal', 'result', 'detail'], report.goals.map((g) => [g.goal, g.verdict, g.detail]), 3));
  const failed = report.goals.filter((g) => g.verdict === 'FAIL');
  const unjudged = report.goals.filter((g) => g.verdict === 'NOT JUDGED');
  out.push('');
  out.push(failed.length
    ? `GOALS FAILED (${failed.length} of ${report.goals.length}):\n${failed.map((g) => `  ✗ ${g.goal}: ${g.detail}`).join('\n')}`
    : `all judged goals pass (${report.goals.length - unjudged.length} of ${report.goals.length})`);
  if (unjudged.length) out.push(`not judged in this run: ${unjudged.map((g) => g.goal).join('; ')}`);
  out.push(`\nwall time ${report.wallSeconds.toFixed(0)} s`);
  return out.join('\n');
}

export function toMarkdown(report: BenchReport): string {
  const out: string[] = [
    `# Benchmark: dockerfile-stages vs docker-langserver ${report.theirsVersion ?? ''}`.trimEnd(),
    '',
    '<!-- written by `npm run bench` (test/bench/); do not edit -->',
    '',
    ...header(report).map((l) => `- ${l.replace(/^command: (.*)$/, 'command: `$1`')}`),
    '',
    'Medians in ms. `theirs/ours` is docker-langserver\'s median divided by ours: how many times faster ours is. `n/a`: the server does not offer the feature.',
    '',
  ];
  for (const size of report.sizes) {
    const t = sizeTable(report, size);
    out.push(`## ${t.title}`, '', markdownTable(t.header, t.rows), '');
    for (const n of t.notes) out.push(n.startsWith('  ') ? `  - ${n.trim()}` : `- ${n}`);
    out.push('');
  }
  out.push(...floorLine(report));
  if (report.real) {
    const t = realFilesTable(report, report.real);
    out.push(`## ${t.title}`, '', markdownTable(t.header, t.rows), '');
    for (const n of t.notes) out.push(n.startsWith('  ') ? `  - ${n.trim()}` : `- ${n}`);
    out.push('');
  }
  if (!report.options.realOnly) out.push(initializeLine(report), '');
  if (report.coldStart) {
    const t = coldStartTable(report, report.coldStart);
    out.push(`## ${t.title}`, '', markdownTable(t.header, t.rows), '');
    for (const n of t.notes) out.push(`- ${n}`);
    out.push('');
  }
  out.push('## Goals', '');
  out.push(markdownTable(['goal', 'result', 'detail'], report.goals.map((g) => [g.goal, `**${g.verdict}**`, g.detail]), 3));
  out.push('');
  return out.join('\n');
}
