/**
 * `dockerfile-stages`: the server's rules on files, for terminals and CI.
 *
 *   dockerfile-stages [--format FORMAT] [--fail-on LEVEL] [--severity CODE=LEVEL]… [--target NAME]
 *                     [--jobs N] [--color|--no-color] FILE|FOLDER…
 *   dockerfile-stages --list-stages FILE [--target NAME] [--format text|json]
 *
 * Exit codes: 0 nothing at or above the --fail-on level, 1 findings at or above it,
 * 2 a usage error or a file that cannot be read as a Dockerfile.
 *
 * The same bundle is the entry of the worker threads that check many files at once (cli/pool.ts).
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from './analysis/modelStore';
import { StageModel } from './analysis/stageModel';
import { BUILD_FILE_CHECKS, buildFileFindings } from './rules/buildTargets';
import { buildFileKind, isDockerfileName } from './workspace/buildFiles';
import { BuildFileReader, WorkspaceIndex } from './workspace/workspaceIndex';
import { ALL_RULES } from './rules/allRules';
import { Severity } from './rules/rule';
import { CheckJob, byPosition, listStages, readDockerfile, targetStageOf } from './cli/check';
import { findFiles } from './cli/findFiles';
import { ALL_CODES, FORMATS, FileResult, Format, formatResults } from './cli/formats';
import { checkAll, isPoolWorker, runWorker, workerCount } from './cli/pool';
import { PRODUCT_VERSION } from './version';

const LEVELS: readonly (Severity | 'none')[] = ['error', 'warning', 'information', 'hint', 'none'];
const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

interface Options {
  format: Format;
  failOn: Severity | 'none';
  severity: Record<string, Severity | 'off'>;
  files: string[];
  target?: string;
  listStages?: string;
  jobs?: number;
  color?: boolean;
}

/** What main() learns of its surroundings (the process's, unless a test says otherwise). */
export interface Surroundings {
  /** Whether standard output is a terminal (colour in the text format). */
  isTTY?: boolean;
  env?: Record<string, string | undefined>;
}

class UsageError extends Error {}

const HELP = `Usage: dockerfile-stages [options] FILE|FOLDER...
       dockerfile-stages --list-stages FILE [--target NAME] [--format text|json]

Checks multi-stage Dockerfiles the way BuildKit resolves stages, and the Compose, Bake, dev
container and workflow files that build their stages by name. A folder is searched for both
(Dockerfile, Dockerfile.*, *.Dockerfile, Containerfile, Containerfile.*, *.containerfile),
skipping .git, node_modules and what .gitignore files ignore. Use - (once) to read a Dockerfile
from standard input, and -- before files whose names start with -.

Options:
  --format FORMAT            text (default), json, sarif, github (workflow command
                             annotations), checkstyle (XML) or gitlab (Code Quality JSON)
  --fail-on LEVEL            exit 1 when a finding is at least LEVEL:
                             error, warning, information, hint or none (default: error)
  --severity CODE=LEVEL      change a rule's severity (LEVEL: error, warning, information,
                             hint, off); may be repeated
  --target NAME              judge which stages are built (UnreachableStage) for
                             \`docker build --target NAME\` instead of the last stage
  --list-stages FILE         print FILE's stages (index, name, base, line, whether the
                             target builds them) as text or, with --format json, JSON
  --jobs N                   check with N worker threads (1: no worker; default: one per
                             core when there are enough files to pay for them)
  --color, --no-color        colour the text format or not (default: on a terminal,
                             unless NO_COLOR is set)
  --list-rules               print the rules and exit
  --version                  print the version and exit
  -h, --help                 print this help and exit

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 usage or input error.
`;

function parseArgs(argv: string[]): Options | 'help' | 'version' | 'rules' {
  const o: Options = { format: 'text', failOn: 'error', severity: {}, files: [] };
  let formatGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    // After `--` every argument is a file, even one that starts with `-`.
    if (a === '--') {
      o.files.push(...argv.slice(i + 1));
      break;
    }
    const value = (name: string): string => {
      const eq = a.indexOf('=');
      if (a.startsWith('--') && eq !== -1) return a.slice(eq + 1);
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    const is = (name: string) => a === name || a.startsWith(`${name}=`);
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--version') return 'version';
    if (a === '--list-rules') return 'rules';
    if (is('--format')) {
      const f = value('--format');
      if (!(FORMATS as readonly string[]).includes(f)) throw new UsageError(`unknown format "${f}" (${FORMATS.join(', ')})`);
      o.format = f as Format;
      formatGiven = true;
    } else if (is('--fail-on')) {
      const l = value('--fail-on');
      if (!LEVELS.includes(l as Severity)) throw new UsageError(`unknown level "${l}" (${LEVELS.join(', ')})`);
      o.failOn = l as Severity | 'none';
    } else if (is('--severity')) {
      const spec = value('--severity');
      const [code, level] = spec.split('=');
      if (!code || !level || !['error', 'warning', 'information', 'hint', 'off'].includes(level)) {
        throw new UsageError(`--severity takes CODE=LEVEL, e.g. UnreachableStage=off (got "${spec}")`);
      }
      if (!ALL_CODES.includes(code)) throw new UsageError(`unknown rule "${code}" (see --list-rules)`);
      o.severity[code] = level as Severity | 'off';
    } else if (is('--target')) {
      const t = value('--target');
      if (t === '') throw new UsageError('--target needs a stage name');
      o.target = t;
    } else if (is('--list-stages')) {
      o.listStages = value('--list-stages');
    } else if (is('--jobs')) {
      const j = value('--jobs');
      if (!/^[0-9]+$/.test(j) || Number(j) < 1) throw new UsageError(`--jobs takes a whole number of at least 1 (got "${j}")`);
      o.jobs = Number(j);
    } else if (a === '--color') {
      o.color = true;
    } else if (a === '--no-color') {
      o.color = false;
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      o.files.push(a);
    }
  }
  if (o.listStages !== undefined) {
    if (o.files.length > 0) throw new UsageError(`--list-stages takes one file (also given: ${o.files.join(', ')})`);
    if (formatGiven && o.format !== 'text' && o.format !== 'json') throw new UsageError(`--list-stages prints text or json, not ${o.format}`);
    return o;
  }
  if (o.files.length === 0) throw new UsageError('no file given');
  // Standard input can be read once; a second `-` would silently check an empty file.
  if (o.files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  return o;
}

/** The reader of build files, from its own bundle (dist/build-files.js) when bundled. */
function loadReader(): BuildFileReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./workspace/readBuildFile') as { readBuildFile: BuildFileReader }).readBuildFile;
}

/**
 * What the arguments name: Dockerfiles and build files, a folder's found within it, in the order
 * given. A build file is kept with its full path too: its kind depends on its folders
 * (`.github/workflows`), which a path shown relative to the current folder may not hold.
 */
async function expand(args: string[]): Promise<{ dockerfiles: string[]; buildFiles: { shown: string; full: string }[] }> {
  const dockerfiles: string[] = [];
  const buildFiles: { shown: string; full: string }[] = [];
  for (const arg of args) {
    let folder = false;
    try {
      folder = arg !== '-' && fs.statSync(arg).isDirectory();
    } catch {
      // Not there: reported when it is read.
    }
    if (folder) {
      for (const found of await findFiles(arg, (file) => buildFileKind(file) !== undefined || isDockerfileName(file))) {
        // Shown as the user would write them: relative to the current folder where inside it.
        const relative = path.relative(process.cwd(), found);
        const f = relative.startsWith('..') || path.isAbsolute(relative) ? found : relative;
        if (buildFileKind(found)) buildFiles.push({ shown: f, full: found });
        else dockerfiles.push(f);
      }
    } else if (arg !== '-' && buildFileKind(path.resolve(arg))) {
      buildFiles.push({ shown: arg, full: path.resolve(arg) });
    } else {
      dockerfiles.push(arg);
    }
  }
  return { dockerfiles, buildFiles };
}

/** Colour in the text format: as forced, else on a terminal unless NO_COLOR is set (no-color.org). */
function wantsColor(options: Options, io: Surroundings): boolean {
  if (options.format !== 'text') return false;
  if (options.color !== undefined) return options.color;
  const noColor = io.env?.NO_COLOR;
  return (noColor === undefined || noColor === '') && io.isTTY === true;
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void, io: Surroundings = {}): Promise<number> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err(`dockerfile-stages: ${e.message}\n\n${HELP}`);
    return 2;
  }
  if (options === 'help') return out(HELP), 0;
  if (options === 'version') return out(`dockerfile-stages ${PRODUCT_VERSION}\n`), 0;
  if (options === 'rules') {
    for (const r of [...ALL_RULES, ...BUILD_FILE_CHECKS]) out(`${r.code.padEnd(24)} ${r.severity.padEnd(11)} ${r.description}\n`);
    return 0;
  }
  if (options.listStages !== undefined) return printStages(options.listStages, options, out, err);
  const { dockerfiles, buildFiles } = await expand(options.files);
  if (dockerfiles.length === 0 && buildFiles.length === 0) {
    err(`dockerfile-stages: no Dockerfile or build file in ${options.files.join(', ')}\n`);
    return 2;
  }
  // The build files first: what they say of the Dockerfiles counts in the Dockerfiles' checks.
  const index = new WorkspaceIndex(loadReader);
  for (const f of buildFiles) await index.refresh(f.full);
  const jobs: CheckJob[] = dockerfiles.map((file) => {
    if (file !== '-') {
      const builds = index.buildsOf(file);
      return builds.length > 0 ? { file, builds } : { file };
    }
    try {
      return { file, text: readDockerfile(file) };
    } catch (e) {
      return { file, error: (e as Error).message };
    }
  });
  const settings = { severity: options.severity, ...(options.target !== undefined ? { target: options.target } : {}) };
  const checked = await checkAll(jobs, settings, workerCount(jobs.length, options.jobs), __filename);
  const results: FileResult[] = [];
  let inputError = false;
  for (const r of checked) {
    if ('error' in r) {
      err(`dockerfile-stages: ${r.error}\n`);
      inputError = true;
    } else {
      results.push(r);
    }
  }
  const models = new Map<string, StageModel | 'missing'>();
  const modelOf = (file: string): StageModel | 'missing' => {
    let model = models.get(file);
    if (model === undefined) {
      try {
        model = analyzeText(readDockerfile(file));
      } catch {
        model = 'missing';
      }
      models.set(file, model);
    }
    return model;
  };
  for (const { shown: file, full } of buildFiles) {
    const findings = buildFileFindings(index.entriesIn(full), (d) => modelOf(d))
      .filter((f) => options.severity[f.code] !== 'off')
      .map((f) => (options.severity[f.code] ? { ...f, severity: options.severity[f.code] as Severity } : f));
    results.push({ file, findings: findings.sort(byPosition) });
  }
  out(formatResults(options.format, results, { color: wantsColor(options, io) }));
  if (inputError) return 2;
  const failOn = options.failOn;
  if (failOn === 'none') return 0;
  const failing = results.some((r) => r.findings.some((f) => RANK[f.severity] <= RANK[failOn]));
  return failing ? 1 : 0;
}

/** `--list-stages FILE`: the stages of one Dockerfile, for scripts that build each of them. */
function printStages(file: string, options: Options, out: (s: string) => void, err: (s: string) => void): number {
  let model: StageModel;
  try {
    model = analyzeText(readDockerfile(file));
  } catch (e) {
    err(`dockerfile-stages: ${(e as Error).message}\n`);
    return 2;
  }
  let target = model.targetIndex;
  if (options.target !== undefined) {
    const t = targetStageOf(model, options.target);
    if ('error' in t) {
      err(`dockerfile-stages: ${file}: ${t.error}\n`);
      return 2;
    }
    target = t.index;
  }
  const stages = listStages(model, target);
  if (options.format === 'json') {
    out(JSON.stringify(stages, null, 2) + '\n');
    return 0;
  }
  const rows = [
    ['INDEX', 'NAME', 'BASE', 'LINE', 'REACHED'],
    ...stages.map((s) => [String(s.index), s.name ?? '-', s.base ?? '-', String(s.line), s.reached ? 'yes' : 'no']),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  for (const r of rows) out(r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('  ') + '\n');
  return 0;
}

if (isPoolWorker()) {
  runWorker();
} else if (require.main === module) {
  void main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s), { isTTY: process.stdout.isTTY === true, env: process.env }).then(
    (code) => (process.exitCode = code),
    // A failure of the CLI itself is not "findings" (1): say what broke and exit 3.
    (e: unknown) => {
      process.stderr.write(`dockerfile-stages: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
