/**
 * The CLI's part of `npm run bench`: files checked per second by the bundled CLI over a folder
 * of thousands of Dockerfiles, with one thread (`--jobs 1`, no worker) and with a worker per core
 * (`--jobs N`, N = os.availableParallelism()). The folder is the real corpus
 * (../shared/corpus/real from the repository root) copied many times, each copy of a file a
 * `Dockerfile` of its own folder; without the corpus, generated 10-stage Dockerfiles.
 *
 *   node out/test/bench/cliBench.js [--cli dist/cli.js] [--copies 48] [--runs 5]
 *
 * Runs alternate (1, N, 1, N, …) so that the machine's moods fall on both; the figures are
 * medians. CPU time is the child's user+system time (/proc/self/stat's cutime and cstime).
 * Writes bench/results/cli-<date>.json, and bench/results/cli-latest.md after a run with the
 * default counts.
 */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { performance } from 'perf_hooks';
import { readCorpus } from './corpus';
import { generateDockerfile } from './generateDockerfile';
import { machineInfo } from './procfs';
import { summarize } from './stats';

const ROOT = path.resolve(__dirname, '..', '..', '..');

interface Options {
  cli: string;
  copies: number;
  runs: number;
  complete: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = { cli: path.join(ROOT, 'dist', 'cli.js'), copies: 48, runs: 5, complete: true };
  for (let i = 0; i < argv.length; i++) {
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`missing value after ${argv[i - 1]}`);
      return v;
    };
    const int = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`${argv[i - 1]} needs a whole number >= 1, got "${v}"`);
      return n;
    };
    switch (argv[i]) {
      case '--cli':
        o.cli = path.resolve(value());
        break;
      case '--copies':
        o.copies = int(value());
        o.complete = o.copies === 48 && o.complete;
        break;
      case '--runs':
        o.runs = int(value());
        o.complete = o.runs === 5 && o.complete;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return o;
}

/** Children's CPU time so far (user+system of the waited-for children), in ms; null off Linux. */
function childrenCpuMs(): number | null {
  try {
    const s = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(f[13]) + Number(f[14]);
    const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;
    return (ticks * 1000) / hz;
  } catch {
    return null;
  }
}

/** The folder of files to check: corpus copies, or generated files when the corpus is absent. */
function makeFolder(dir: string, copies: number): { files: number; bytes: number; source: string } {
  let files = 0;
  let bytes = 0;
  const write = (rel: string, text: string) => {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    files++;
    bytes += Buffer.byteLength(text);
  };
  const corpus = readCorpus();
  if (corpus) {
    for (let c = 0; c < copies; c++) for (const f of corpus) write(path.join(`copy-${c}`, f.name.replace(/[^A-Za-z0-9_-]+/g, '_'), 'Dockerfile'), f.text);
    return { files, bytes, source: `the real corpus (${corpus.length} Dockerfiles) copied ${copies} times` };
  }
  const count = copies * 85;
  for (let i = 0; i < count; i++) write(path.join(`gen-${Math.floor(i / 100)}`, `f${i}.Dockerfile`), generateDockerfile(10, 1000 + i));
  return { files, bytes, source: `${count} generated 10-stage Dockerfiles (the corpus is not at ../shared/corpus/real)` };
}

interface Sample {
  ms: number;
  cpuMs: number | null;
  code: number | null;
  hash: string;
}

function runCli(cli: string, dir: string, jobs: number): Sample {
  const cpu0 = childrenCpuMs();
  const t0 = performance.now();
  const r = spawnSync(process.execPath, [cli, '--format', 'json', '--jobs', String(jobs), '.'], { cwd: dir, maxBuffer: 1 << 30 });
  const ms = performance.now() - t0;
  const cpu1 = childrenCpuMs();
  if (r.error) throw r.error;
  if (r.status !== 0 && r.status !== 1) throw new Error(`the CLI exited with ${r.status}: ${r.stderr.toString().slice(0, 500)}`);
  return { ms, cpuMs: cpu0 === null || cpu1 === null ? null : cpu1 - cpu0, code: r.status, hash: createHash('sha256').update(r.stdout).digest('hex') };
}

const fmt = (n: number | null, digits = 0) => (n === null ? 'n/a' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits }));

function main(): number {
  let o: Options;
  try {
    o = parseOptions(process.argv.slice(2));
  } catch (e) {
    console.error(`cli bench: ${(e as Error).message}`);
    return 2;
  }
  if (!fs.existsSync(o.cli)) {
    console.error(`cli bench: no CLI bundle at ${o.cli} (npm run build first)`);
    return 1;
  }
  const cores = os.availableParallelism();
  const counts = cores > 1 ? [1, cores] : [1];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-bench-'));
  try {
    const folder = makeFolder(dir, o.copies);
    const loadStart = os.loadavg();
    console.log(`CLI benchmark: ${folder.files} files (${(folder.bytes / 1048576).toFixed(1)} MB), ${folder.source}; --format json over the folder; ${o.runs} runs per worker count, alternating, after one warm-up run each`);
    for (const jobs of counts) runCli(o.cli, dir, jobs); // warm-up: the file system cache, the bundle on disk
    const samples: Record<number, Sample[]> = {};
    for (let run = 0; run < o.runs; run++) {
      for (const jobs of counts) {
        const s = runCli(o.cli, dir, jobs);
        (samples[jobs] ??= []).push(s);
        process.stderr.write(`  run ${run + 1}/${o.runs}, --jobs ${jobs}: ${fmt(s.ms)} ms\n`);
      }
    }
    const hashes = new Set(Object.values(samples).flatMap((list) => list.map((s) => s.hash)));
    const rows = counts.map((jobs) => {
      const wall = summarize(samples[jobs].map((s) => s.ms));
      const cpu = summarize(samples[jobs].map((s) => s.cpuMs));
      return { jobs, wallMs: wall, cpuMs: cpu, filesPerSecond: wall.median === null ? null : folder.files / (wall.median / 1000) };
    });
    const base = rows[0].wallMs.median;
    const loadEnd = os.loadavg();
    const machine = machineInfo();
    const lines = [
      '| --jobs | wall (median ms) | min–max ms | CPU (median ms) | files/s | speed-up |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.jobs === 1 ? '1 (no worker)' : `${r.jobs} (a worker per core)`} | ${fmt(r.wallMs.median)} | ${fmt(r.wallMs.min)}–${fmt(r.wallMs.max)} | ${fmt(r.cpuMs.median)} | ${fmt(r.filesPerSecond)} | ${base && r.wallMs.median ? `${(base / r.wallMs.median).toFixed(2)}×` : ''} |`,
      ),
    ];
    const note = `${machine.cpuModel}, ${machine.cores} cores, Node ${process.version}; load average ${loadStart[0].toFixed(1)} at the start, ${loadEnd[0].toFixed(1)} at the end`;
    console.log(lines.join('\n'));
    console.log(`${note}; outputs ${hashes.size === 1 ? 'identical across runs and worker counts' : 'DIFFER between runs'}`);
    // The bundle as a path in the repository, or what scripts/bench.mjs's private copy is (no path of this machine).
    const inRepo = path.relative(ROOT, o.cli);
    const cli = inRepo.startsWith('..') || path.isAbsolute(inRepo) ? 'a copy of dist/cli.js taken right after the production build' : inRepo;
    const report = { date: new Date().toISOString(), command: 'npm run bench -- --cli-only', machine: { ...machine, node: process.version, loadStart, loadEnd }, options: { ...o, cli }, folder, rows, samples, identicalOutputs: hashes.size === 1 };
    const results = path.join(ROOT, 'bench', 'results');
    fs.mkdirSync(results, { recursive: true });
    const stamp = report.date.replace(/[:T]/g, '-').replace(/\..*$/, '');
    fs.writeFileSync(path.join(results, `cli-${stamp}.json`), JSON.stringify(report, null, 1) + '\n');
    console.log(`raw results: bench/results/cli-${stamp}.json`);
    if (o.complete) {
      const md = [
        '# CLI benchmark: files per second, one thread against a worker per core',
        '',
        '<!-- written by `npm run bench` (test/bench/cliBench.ts); do not edit -->',
        '',
        `- command: \`${report.command}\` (or the CLI part of \`npm run bench\`)`,
        `- date: ${report.date}; ${note}`,
        `- ${folder.files} files (${(folder.bytes / 1048576).toFixed(1)} MB): ${folder.source}; \`dockerfile-stages --format json --jobs N .\` on the folder; ${o.runs} runs per count, alternating, after a warm-up run each`,
        '',
        ...lines,
        '',
      ].join('\n');
      fs.writeFileSync(path.join(results, 'cli-latest.md'), md);
      console.log('tables: bench/results/cli-latest.md');
    }
    return hashes.size === 1 ? 0 : 1;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = main();
