/**
 * `dockerfile-stages`: the server's rules on files, for terminals and CI.
 *
 *   dockerfile-stages [--format text|json|sarif] [--fail-on LEVEL] [--severity CODE=LEVEL]… FILE…
 *
 * Exit codes: 0 nothing at or above the --fail-on level, 1 findings at or above it,
 * 2 a usage error or a file that cannot be read as a Dockerfile.
 */
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from './analysis/modelStore';
import { StageModel } from './analysis/stageModel';
import { BUILD_FILE_CHECKS, buildFileFindings } from './rules/buildTargets';
import { buildFileKind, isDockerfileName } from './workspace/buildFiles';
import { dockerfileBuilds } from './workspace/dockerfileBuilds';
import { readDockerignoreFor } from './workspace/dockerignoreFile';
import { BuildFileReader, WorkspaceIndex, findFiles } from './workspace/workspaceIndex';
import { ALL_RULES } from './rules/allRules';
import { Finding, Severity, buildkitCheckUrl } from './rules/rule';
import { findingsFor } from './rules/runRules';
import { PRODUCT_VERSION } from './version';

type Format = 'text' | 'json' | 'sarif';
const LEVELS: readonly (Severity | 'none')[] = ['error', 'warning', 'information', 'hint', 'none'];
const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

interface Options {
  format: Format;
  failOn: Severity | 'none';
  severity: Record<string, Severity | 'off'>;
  files: string[];
}

export interface FileResult {
  file: string;
  findings: Finding[];
}

class UsageError extends Error {}

const HELP = `Usage: dockerfile-stages [options] FILE|FOLDER...

Checks multi-stage Dockerfiles the way BuildKit resolves stages, and the Compose, Bake, dev
container and workflow files that build their stages by name. A folder is searched for both.
Use - (once) to read a Dockerfile from standard input, and -- before files whose names start
with -.

Options:
  --format text|json|sarif   output format (default: text)
  --fail-on LEVEL            exit 1 when a finding is at least LEVEL:
                             error, warning, information, hint or none (default: error)
  --severity CODE=LEVEL      change a rule's severity (LEVEL: error, warning, information,
                             hint, off); may be repeated
  --list-rules               print the rules and exit
  --version                  print the version and exit
  -h, --help                 print this help and exit

Exit codes: 0 no finding at or above --fail-on, 1 some, 2 usage or input error.
`;

function parseArgs(argv: string[]): Options | 'help' | 'version' | 'rules' {
  const o: Options = { format: 'text', failOn: 'error', severity: {}, files: [] };
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
    if (a === '-h' || a === '--help') return 'help';
    if (a === '--version') return 'version';
    if (a === '--list-rules') return 'rules';
    if (a === '--format' || a.startsWith('--format=')) {
      const f = value('--format');
      if (f !== 'text' && f !== 'json' && f !== 'sarif') throw new UsageError(`unknown format "${f}" (text, json or sarif)`);
      o.format = f;
    } else if (a === '--fail-on' || a.startsWith('--fail-on=')) {
      const l = value('--fail-on');
      if (!LEVELS.includes(l as Severity)) throw new UsageError(`unknown level "${l}" (${LEVELS.join(', ')})`);
      o.failOn = l as Severity | 'none';
    } else if (a === '--severity' || a.startsWith('--severity=')) {
      const spec = value('--severity');
      const [code, level] = spec.split('=');
      if (!code || !level || !['error', 'warning', 'information', 'hint', 'off'].includes(level)) {
        throw new UsageError(`--severity takes CODE=LEVEL, e.g. UnreachableStage=off (got "${spec}")`);
      }
      if (!ALL_CODES.includes(code)) throw new UsageError(`unknown rule "${code}" (see --list-rules)`);
      o.severity[code] = level as Severity | 'off';
    } else if (a.startsWith('-') && a !== '-') {
      throw new UsageError(`unknown option ${a}`);
    } else {
      o.files.push(a);
    }
  }
  if (o.files.length === 0) throw new UsageError('no file given');
  // Standard input can be read once; a second `-` would silently check an empty file.
  if (o.files.filter((f) => f === '-').length > 1) throw new UsageError('standard input (-) can be given only once');
  return o;
}

/** Reads a Dockerfile as text; refuses what is clearly not one. */
export function readDockerfile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = file === '-' ? fs.readFileSync(0) : fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new Error(`${file}: cannot read: ${why}`);
  }
  if (bytes.subarray(0, 8192).includes(0)) throw new Error(`${file}: not a text file (it contains NUL bytes)`);
  let text = bytes.toString('utf8');
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // editors do not count the BOM as a column
  return text;
}

function formatText(results: FileResult[]): string {
  const lines: string[] = [];
  const counts: Record<Severity, number> = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const r of results) {
    for (const f of r.findings) {
      counts[f.severity]++;
      lines.push(`${r.file}:${f.range.start.line + 1}:${f.range.start.character + 1}: ${f.severity} ${f.code}: ${f.message}`);
    }
  }
  const total = results.reduce((n, r) => n + r.findings.length, 0);
  lines.push(
    total === 0
      ? `${results.length} file${results.length === 1 ? '' : 's'} checked: no findings.`
      : `${results.length} file${results.length === 1 ? '' : 's'} checked: ${counts.error} error(s), ${counts.warning} warning(s), ${counts.information} information, ${counts.hint} hint(s).`,
  );
  return lines.join('\n') + '\n';
}

function formatJson(results: FileResult[]): string {
  const out = results.flatMap((r) =>
    r.findings.map((f) => ({
      file: r.file,
      line: f.range.start.line + 1,
      column: f.range.start.character + 1,
      endLine: f.range.end.line + 1,
      endColumn: f.range.end.character + 1,
      severity: f.severity,
      code: f.code,
      message: f.message,
      related: f.related.map((x) => ({ line: x.range.start.line + 1, column: x.range.start.character + 1, message: x.message })),
    })),
  );
  return JSON.stringify(out, null, 2) + '\n';
}

const SARIF_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', information: 'note', hint: 'note' };

export function toSarif(results: FileResult[]): object {
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    endColumn: r.end.character + 1,
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'dockerfile-stages',
            version: PRODUCT_VERSION,
            rules: [
              ...ALL_RULES.map((rule) => ({
                id: rule.code,
                shortDescription: { text: rule.description },
                defaultConfiguration: { level: SARIF_LEVEL[rule.severity] },
                ...(buildkitCheckUrl(rule) ? { helpUri: buildkitCheckUrl(rule) } : {}),
              })),
              ...BUILD_FILE_CHECKS.map((c) => ({ id: c.code, shortDescription: { text: c.description }, defaultConfiguration: { level: SARIF_LEVEL[c.severity] } })),
            ],
          },
        },
        columnKind: 'utf16CodeUnits',
        results: results.flatMap((r) =>
          r.findings.map((f) => ({
            ruleId: f.code,
            ruleIndex: ALL_CODES.indexOf(f.code),
            level: SARIF_LEVEL[f.severity],
            message: { text: f.message },
            locations: [{ physicalLocation: { artifactLocation: { uri: sarifUri(r.file) }, region: region(f.range) } }],
            ...(f.related.length > 0
              ? {
                  relatedLocations: f.related.map((x, id) => ({
                    id,
                    message: { text: x.message },
                    physicalLocation: { artifactLocation: { uri: sarifUri(r.file) }, region: region(x.range) },
                  })),
                }
              : {}),
          })),
        ),
      },
    ],
  };
}

/** Relative paths stay relative (SARIF viewers resolve them against the checkout). */
function sarifUri(file: string): string {
  if (file === '-') return 'stdin';
  return file.split('/').map(encodeURIComponent).join('/');
}

/** Every rule of the CLI: the Dockerfile rules, then the checks of build files. */
const ALL_CODES = [...ALL_RULES.map((r) => r.code), ...BUILD_FILE_CHECKS.map((c) => c.code)];

/** The reader of build files, from its own bundle (dist/build-files.js) when bundled. */
function loadReader(): BuildFileReader {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('./workspace/readBuildFile') as { readBuildFile: BuildFileReader }).readBuildFile;
}

/** What the arguments name: Dockerfiles and build files, a folder's found within it. */
async function expand(args: string[]): Promise<{ dockerfiles: string[]; buildFiles: string[] }> {
  const dockerfiles: string[] = [];
  const buildFiles: string[] = [];
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
        (buildFileKind(f) ? buildFiles : dockerfiles).push(f);
      }
    } else if (arg !== '-' && buildFileKind(arg)) {
      buildFiles.push(arg);
    } else {
      dockerfiles.push(arg);
    }
  }
  return { dockerfiles, buildFiles };
}

export async function main(argv: string[], out: (s: string) => void, err: (s: string) => void): Promise<number> {
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
  const { dockerfiles, buildFiles } = await expand(options.files);
  if (dockerfiles.length === 0 && buildFiles.length === 0) {
    err(`dockerfile-stages: no Dockerfile or build file in ${options.files.join(', ')}\n`);
    return 2;
  }
  // The build files first: what they say of the Dockerfiles counts in the Dockerfiles' checks.
  const index = new WorkspaceIndex(loadReader);
  for (const f of buildFiles) await index.refresh(f);
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
  const byPosition = (a: Finding, b: Finding) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character;
  const results: FileResult[] = [];
  let inputError = false;
  for (const file of dockerfiles) {
    let model: StageModel;
    try {
      model = analyzeText(readDockerfile(file));
    } catch (e) {
      err(`dockerfile-stages: ${(e as Error).message}\n`);
      inputError = true;
      continue;
    }
    const builds = file === '-' ? undefined : dockerfileBuilds(model, index.buildsOf(file));
    // The ignore file beside the Dockerfile, taken as its build context's (CopyIgnoredFile).
    const dockerignore = file === '-' ? undefined : readDockerignoreFor(file);
    results.push({ file, findings: [...findingsFor(model, { severity: options.severity }, builds, dockerignore && { dockerignore })].sort(byPosition) });
  }
  for (const file of buildFiles) {
    const findings = buildFileFindings(index.entriesIn(file), (d) => modelOf(d))
      .filter((f) => options.severity[f.code] !== 'off')
      .map((f) => (options.severity[f.code] ? { ...f, severity: options.severity[f.code] as Severity } : f));
    results.push({ file, findings: findings.sort(byPosition) });
  }
  if (options.format === 'json') out(formatJson(results));
  else if (options.format === 'sarif') out(JSON.stringify(toSarif(results), null, 2) + '\n');
  else out(formatText(results));
  if (inputError) return 2;
  const failOn = options.failOn;
  if (failOn === 'none') return 0;
  const failing = results.some((r) => r.findings.some((f) => RANK[f.severity] <= RANK[failOn]));
  return failing ? 1 : 0;
}

if (require.main === module) {
  void main(process.argv.slice(2), (s) => process.stdout.write(s), (s) => process.stderr.write(s)).then((code) => (process.exitCode = code));
}
