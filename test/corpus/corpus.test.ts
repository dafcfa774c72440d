/**
 * The real-world corpus at ../shared/corpus/real (relative to the repository root): 85
 * Dockerfiles from public projects, with STAGE_REFS.tsv giving the expected resolution of
 * every stage reference. The corpus is not part of the product; when it is absent these tests
 * are skipped, saying why.
 *
 * - No error-severity finding on any file (the known upstream oddities of its README are
 *   warnings: compose's `--from=set`, moqui's stage-scoped ARG in FROM; no rule here reports
 *   invalid image references, so kubernetes etcd's `FROM BASEIMAGE` placeholder is no error).
 * - Every row of STAGE_REFS.tsv resolves as listed, and every reference the model finds is
 *   listed (FROM bases only when they name a stage or depend on an ARG, as the table does).
 *   The table was made by a heuristic; where BuildKit's rules say otherwise, BuildKit wins and
 *   the row goes to EXPECTED_DIFFERENCES with the reason.
 * - Windows files (escape=`) converted to CRLF on the fly resolve the same way.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageModel, StageRef } from '../../server/src/analysis/stageModel';
import { StageRefSyntaxKind } from '../../server/src/analysis/syntax';
import { findingsFor, ruleByCode } from '../../server/src/rules/runRules';
import { corpusDir, repoRoot } from '../support/fixtures';
import { corpusTable, withTable } from '../support/corpusTable';

const CORPUS = corpusDir();
const present = fs.existsSync(path.join(CORPUS, 'STAGE_REFS.tsv'));
const skip = present ? false : `the corpus is not at ${CORPUS} (../shared/corpus/real from the repository root)`;

/**
 * Rows of STAGE_REFS.tsv where BuildKit's rules give another answer than the table, keyed
 * `file:line:value`, with BuildKit's answer and why. Empty: every row agrees with BuildKit.
 */
const EXPECTED_DIFFERENCES: Record<string, { buildkit: string; reason: string }> = {};

/**
 * FROM lines whose base is only build arguments, which the table (made by a heuristic that looks
 * for a literal stage-name prefix) does not list, but which can name stages of the file in
 * BuildKit: it expands FROM with the global ARGs (dockerfile2llb buildDispatchStates), the
 * predefined platform ARGs among them, and an ARG without a default takes any --build-arg.
 * Keyed `file:line:value`.
 */
const NOT_IN_TABLE: Record<string, string> = {
  'containerd__containerd__.github__workflows__release__Dockerfile:41:${TARGETOS}':
    'TARGETOS is linux or windows for the targets this file builds, and stages `linux` and `windows` exist: the default target is built FROM one of them',
  'dotnet__dotnet-docker__eng__docker-tools__Dockerfile.syft:5:${TARGET_IMAGE_NAME}':
    'a global ARG without a default: the build must pass it, and it can name an earlier stage',
  'moqui__moqui-framework__Dockerfile:37:${RUNTIME_IMAGE}':
    'not a global ARG (declared inside a stage), so only --build-arg gives it a value, which can name an earlier stage',
};

/**
 * Errors the corpus README lists as genuine upstream defects, keyed `file:line:code`: etcd's
 * `FROM BASEIMAGE` and `FROM RUNNERIMAGE` are placeholders a Makefile replaces with sed; as
 * written they are invalid image references (upper case) and BuildKit fails on them. (Compose's
 * `--from=set` is a warning, UnknownStageReference; moqui's `FROM ${RUNTIME_IMAGE}` a warning,
 * UndefinedArgInFrom.)
 */
const KNOWN_UPSTREAM_ERRORS: ReadonlySet<string> = new Set([
  'kubernetes__kubernetes__cluster__images__etcd__Dockerfile:15:InvalidBaseImage',
  'kubernetes__kubernetes__cluster__images__etcd__Dockerfile:26:InvalidBaseImage',
]);

interface Row {
  file: string;
  line: number;
  instruction: string;
  value: string;
  resolvesTo: string;
}

const KIND_OF_INSTRUCTION: Record<string, StageRefSyntaxKind> = {
  FROM: 'from',
  'COPY --from': 'copy',
  'RUN --mount from': 'mount',
  'ONBUILD COPY --from': 'onbuild',
};

function readTsv(name: string): string[][] {
  return fs
    .readFileSync(path.join(CORPUS, name), 'utf8')
    .split('\n')
    .slice(1)
    .filter((l) => l.trim() !== '')
    .map((l) => l.split('\t'));
}

function rows(): Row[] {
  return readTsv('STAGE_REFS.tsv').map(([file, line, instruction, value, resolvesTo]) => ({ file, line: Number(line), instruction, value, resolvesTo }));
}

function corpusFiles(): string[] {
  return readTsv('MANIFEST.tsv').map((r) => r[0]);
}

const models = new Map<string, StageModel>();
/** The model of a corpus file, optionally with its text transformed first (`crlf`). */
function modelOf(file: string, transform?: (text: string) => string): StageModel {
  const key = transform ? `${file}\u0000${transform.name}` : file;
  let model = models.get(key);
  if (!model) {
    const text = fs.readFileSync(path.join(CORPUS, file), 'utf8');
    model = analyzeText(transform ? transform(text) : text);
    models.set(key, model);
  }
  return model;
}

function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** What the table says about a resolution: `stage#N`, `image`, `variable(stage?)` or `onbuild-deferred`. */
function tableLabel(ref: StageRef): string {
  const r = ref.resolution;
  switch (r.kind) {
    case 'stage': return r.problem ? `stage#${r.stage} (${r.problem})` : `stage#${r.stage}`;
    case 'image': return 'image';
    case 'variable': return 'variable(stage?)';
    case 'deferred': return 'onbuild-deferred';
    case 'invalid': return `invalid (${r.reason})`;
  }
}

/** Whether the table lists this kind of reference: FROM only when it names a stage or an ARG pattern. */
function listedInTable(ref: StageRef): boolean {
  if (ref.kind === 'from') return ref.resolution.kind === 'stage' || (ref.resolution.kind === 'variable' && ref.resolution.candidates.length > 0);
  return ref.kind !== 'add';
}

function findRef(model: StageModel, row: Row, used: Set<StageRef>): StageRef | undefined {
  const kind = KIND_OF_INSTRUCTION[row.instruction];
  assert.ok(kind, `unknown instruction column ${row.instruction}`);
  // `line` is the 1-based line of the instruction that holds the reference.
  return model.refs.find((r) => !used.has(r) && r.kind === kind && r.instructionRange.start.line === row.line - 1 && r.value === row.value);
}

function checkRows(file: string | undefined, transform?: (text: string) => string): void {
  const byFile = new Map<string, Row[]>();
  for (const row of rows()) if (file === undefined || row.file === file) byFile.set(row.file, [...(byFile.get(row.file) ?? []), row]);
  assert.ok(byFile.size > 0);
  const problems: string[] = [];
  for (const [f, fileRows] of byFile) {
    const model = modelOf(f, transform);
    const used = new Set<StageRef>();
    for (const row of fileRows) {
      const key = `${row.file}:${row.line}:${row.value}`;
      const ref = findRef(model, row, used);
      if (!ref) {
        problems.push(`${key}: no ${row.instruction} reference to ${JSON.stringify(row.value)} on that line`);
        continue;
      }
      used.add(ref);
      const expected = EXPECTED_DIFFERENCES[key]?.buildkit ?? row.resolvesTo;
      if (tableLabel(ref) !== expected) problems.push(`${key}: expected ${expected}, resolved ${tableLabel(ref)}`);
    }
    if (file === undefined) {
      for (const ref of model.refs) {
        if (!used.has(ref) && listedInTable(ref) && !(`${f}:${ref.instructionRange.start.line + 1}:${ref.value}` in NOT_IN_TABLE)) {
          problems.push(`${f}:${ref.instructionRange.start.line + 1}:${ref.value}: ${ref.kind} reference (${tableLabel(ref)}) is not in STAGE_REFS.tsv`);
        }
      }
    }
  }
  assert.deepEqual(problems, []);
}

test('corpus: no error-severity finding on any file', { skip }, () => {
  const errors: string[] = [];
  for (const file of corpusFiles()) {
    for (const f of findingsFor(modelOf(file))) {
      if (f.severity === 'error' && !KNOWN_UPSTREAM_ERRORS.has(`${file}:${f.range.start.line + 1}:${f.code}`)) {
        errors.push(`${file}:${f.range.start.line + 1}: ${f.code}: ${f.message}`);
      }
    }
  }
  assert.deepEqual(errors, []);
});

test('corpus: the known upstream oddities are reported as warnings', { skip }, () => {
  const compose = findingsFor(modelOf('docker__compose__Dockerfile')).filter((f) => f.code === 'UnknownStageReference');
  assert.deepEqual(compose.map((f) => [f.range.start.line + 1, f.severity]), [[147, 'warning']]);
  assert.match(compose[0].message, /Did you mean "license-set"\?/);
  const moqui = findingsFor(modelOf('moqui__moqui-framework__Dockerfile')).filter((f) => f.code === 'UndefinedArgInFrom');
  assert.deepEqual(moqui.map((f) => f.severity), ['warning']);
  assert.ok(moqui[0].related.length > 0, 'points at the stage-scoped ARG');
  const casing = findingsFor(modelOf('lenchik-ponchik__node-ts-template__Dockerfile')).filter((f) => f.code === 'StageNameCasing');
  assert.equal(casing.length, 1);
  const openstack = findingsFor(modelOf('vexxhost__docker-openstack-runtime__Dockerfile'));
  assert.deepEqual(openstack.filter((f) => f.code === 'UnknownStageReference'), [], 'ONBUILD --from names stages of the child build');
});

/**
 * BuildKit's checks on the corpus, counted per check and listed in the test's output. Not asserted
 * one by one: each kind of finding was checked by hand against BuildKit's conditions (the legacy
 * `ENV key value`, shell-form CMD/ENTRYPOINT, several CMDs in BuildKit's own parser test file,
 * `--platform=${TARGETPLATFORM:-…}`, global ARGs without defaults in FROM, MAINTAINER, a
 * COMPOSER_AUTH ARG and ENV). What is asserted is what a user sees of them: warnings.
 */
test('corpus: BuildKit checks per check, all warnings', { skip }, (t) => {
  const counts = new Map<string, number>();
  for (const file of corpusFiles()) {
    for (const f of findingsFor(modelOf(file))) {
      if (!ruleByCode(f.code)?.buildkitCheck) continue;
      assert.equal(f.severity, 'warning', `${file}:${f.range.start.line + 1}: ${f.code}`);
      counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
    }
  }
  for (const [code, n] of [...counts].sort()) t.diagnostic(`${code}: ${n}`);
});

test('corpus: stage counts match MANIFEST.tsv', { skip }, () => {
  for (const [file, , , , , stages] of readTsv('MANIFEST.tsv')) {
    assert.equal(modelOf(file).stages.length, Number(stages), file);
  }
});

test('corpus: every STAGE_REFS.tsv row resolves as listed, and every reference is listed', { skip }, () => {
  checkRows(undefined);
  for (const key of Object.keys(EXPECTED_DIFFERENCES)) {
    assert.ok(rows().some((r) => `${r.file}:${r.line}:${r.value}` === key), `EXPECTED_DIFFERENCES names no row: ${key}`);
  }
});

const WINDOWS_FILES = [
  'dotnet__dotnet-docker__samples__aspnetapp__Dockerfile.windowsservercore-iis',
  'PowerShell__PowerShell-Docker__release__7-5__windowsservercore2022__docker__Dockerfile',
];

for (const file of WINDOWS_FILES) {
  test(`corpus: ${file} with CRLF line endings resolves the same`, { skip }, () => {
    const model = modelOf(file, crlf);
    assert.equal(model.escapeChar, '`');
    checkRows(file, crlf);
    const lf = modelOf(file);
    assert.deepEqual(
      model.refs.map((r) => [r.kind, r.value, r.range, tableLabel(r)]),
      lf.refs.map((r) => [r.kind, r.value, r.range, tableLabel(r)]),
    );
    const keys = (m: StageModel) => findingsFor(m).map((f) => `${f.code} ${f.severity} ${JSON.stringify(f.range)}`);
    assert.deepEqual(keys(model), keys(lf));
  });
}

test('the README\'s table of what the CLI finds over the corpus is what it finds now', { skip }, async () => {
  const readme = fs.readFileSync(path.join(repoRoot(), 'README.md'), 'utf8');
  const expected = withTable(readme, await corpusTable(CORPUS));
  assert.ok(expected !== undefined, 'the README has the corpus-table markers');
  assert.equal(readme, expected, 'run `npm run corpus-table` to rewrite the README\'s table');
});
