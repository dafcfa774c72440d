/** The bundled CLI (dist/cli.js) as CI runs it: output formats and exit codes. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { repoRoot } from '../support/fixtures';

const CLI = path.join(repoRoot(), 'dist', 'cli.js');

function run(args: string[], options: { input?: string; cwd?: string } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', input: options.input, cwd: options.cwd });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('dockerfile-stages CLI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-'));
    fs.writeFileSync(path.join(dir, 'clean.Dockerfile'), 'FROM golang:1.22 AS build\nRUN go build\nFROM alpine\nCOPY --from=build /a /b\n');
    fs.writeFileSync(path.join(dir, 'typo.Dockerfile'), 'FROM golang:1.22 AS build\nFROM alpine\nCOPY --from=build /a /b\nCOPY --from=biuld /c /d\n');
    fs.writeFileSync(path.join(dir, 'broken.Dockerfile'), 'FROM alpine AS a\nCOPY --from=a /x /y\nCOPY --from=7 /x /y\n');
    fs.writeFileSync(path.join(dir, 'binary.Dockerfile'), Buffer.from([0x46, 0x52, 0x00, 0x01, 0x02]));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('a clean file: exit 0 and a summary line', () => {
    const r = run(['clean.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '1 file checked: no findings.\n');
  });

  test('a warning is printed as file:line:col and does not fail by default', () => {
    const r = run(['typo.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^typo\.Dockerfile:4:13: warning UnknownStageReference: No stage named "biuld".*Did you mean "build"\?$/m);
  });

  test('--fail-on warning makes a warning fail the run', () => {
    assert.equal(run(['--fail-on', 'warning', 'typo.Dockerfile'], { cwd: dir }).code, 1);
  });

  test('errors fail the run with exit 1', () => {
    const r = run(['broken.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /broken\.Dockerfile:2:13: error CircularStageReference/);
    assert.match(r.stdout, /broken\.Dockerfile:3:13: error StageIndexOutOfRange/);
  });

  test('--format json lists findings with 1-based positions', () => {
    const r = run(['--format=json', 'typo.Dockerfile'], { cwd: dir });
    const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; endColumn: number; code: string; severity: string }[];
    assert.deepEqual(
      findings.map((f) => [f.file, f.line, f.column, f.endColumn, f.code, f.severity]),
      [['typo.Dockerfile', 4, 13, 18, 'UnknownStageReference', 'warning']],
    );
  });

  test('--format sarif produces SARIF 2.1.0 with rules and regions', () => {
    const r = run(['--format', 'sarif', 'broken.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout);
    assert.equal(sarif.version, '2.1.0');
    const run0 = sarif.runs[0];
    assert.equal(run0.tool.driver.name, 'dockerfile-stages');
    const ruleIds: string[] = run0.tool.driver.rules.map((x: { id: string }) => x.id);
    for (const res of run0.results) {
      assert.equal(ruleIds[res.ruleIndex], res.ruleId, 'ruleIndex points at the rule');
      assert.equal(res.locations[0].physicalLocation.artifactLocation.uri, 'broken.Dockerfile');
    }
    assert.deepEqual(
      run0.results.map((x: { ruleId: string; level: string; locations: { physicalLocation: { region: { startLine: number } } }[] }) => [x.ruleId, x.level, x.locations[0].physicalLocation.region.startLine]),
      [['CircularStageReference', 'error', 2], ['StageIndexOutOfRange', 'error', 3]],
    );
  });

  test('--severity turns a rule off', () => {
    const r = run(['--severity', 'UnknownStageReference=off', 'typo.Dockerfile'], { cwd: dir });
    assert.equal(r.stdout, '1 file checked: no findings.\n');
  });

  test('standard input with -', () => {
    const r = run(['-'], { input: 'FROM alpine\nCOPY --from=0 /a /b\n' });
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^-:2:13: error CircularStageReference/m);
  });

  test('a missing file, a folder with nothing to check and a binary file: a clear message and exit 2', () => {
    fs.mkdirSync(path.join(dir, 'empty'), { recursive: true });
    for (const [arg, why] of [['missing.Dockerfile', /no such file/], ['empty', /no Dockerfile or build file in empty/], ['binary.Dockerfile', /not a text file/]] as const) {
      const r = run([arg], { cwd: dir });
      assert.equal(r.code, 2, arg);
      assert.match(r.stderr, why);
    }
  });

  test('usage errors: exit 2 with the reason and the help', () => {
    const r = run(['--format', 'xml', 'a']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /unknown format "xml"/);
    assert.match(r.stderr, /Usage: dockerfile-stages/);
    assert.equal(run([]).code, 2);
    assert.equal(run(['--severity', 'NoSuchRule=off', 'a']).code, 2);
  });

  test('-- ends the options: a file named like an option is checked', () => {
    fs.writeFileSync(path.join(dir, '--format'), 'FROM alpine\nCOPY --from=nope /a /b\n');
    const r = run(['--', '--format'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^--format:2:13: warning UnknownStageReference/m);
    assert.match(run(['--fail-on', 'warning', '--', '--format', 'clean.Dockerfile'], { cwd: dir }).stdout, /2 files checked/);
  });

  test('standard input given twice is a usage error, not a second, empty file', () => {
    const r = run(['-', '-'], { cwd: dir, input: 'FROM alpine\n' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /standard input \(-\) can be given only once/);
  });

  test('a folder: its Dockerfiles and the Compose, Bake, dev container and workflow files that build them', () => {
    const r = run([path.join('test', 'fixtures', 'workspace')], { cwd: repoRoot() });
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.deepEqual(lines.slice(0, -1), [
      `${path.join('test', 'fixtures', 'workspace', 'compose.yaml')}:20:16: warning MissingDockerfile: No Dockerfile at missing/Dockerfile: compose "broken" cannot build it.`,
      `${path.join('test', 'fixtures', 'workspace', 'docker-bake.hcl')}:28:13: warning UnknownBuildTarget: No stage named "buidler" in app/Dockerfile: the build fails ("target stage buidler could not be found"). Did you mean "builder"?`,
    ]);
    // app/Dockerfile's builder and test stages are built by the build files, and `shared` is a named context: nothing to report.
    assert.equal(lines.at(-1), '7 files checked: 0 error(s), 2 warning(s), 0 information, 0 hint(s).');
  });

  test('a Dockerfile alone knows nothing of the files that build it', () => {
    const r = run([path.join('test', 'fixtures', 'workspace', 'app', 'Dockerfile')], { cwd: repoRoot() });
    assert.match(r.stdout, /UnreachableStage/);
    assert.match(r.stdout, /UnknownStageReference: No stage named "shared"/);
  });

  test('a build file given alone, in SARIF: its checks are rules of the run', () => {
    const r = run(['--format', 'sarif', path.join('test', 'fixtures', 'workspace', 'docker-bake.hcl')], { cwd: repoRoot() });
    const sarif = JSON.parse(r.stdout);
    const result = sarif.runs[0].results[0];
    assert.equal(result.ruleId, 'UnknownBuildTarget');
    assert.equal(sarif.runs[0].tool.driver.rules[result.ruleIndex].id, 'UnknownBuildTarget');
    assert.deepEqual(result.locations[0].physicalLocation.region, { startLine: 28, startColumn: 13, endLine: 28, endColumn: 20 });
  });

  test('--list-rules names every rule with its default severity', () => {
    const r = run(['--list-rules']);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^UnknownStageReference\s+warning\s+/m);
    assert.match(r.stdout, /^UnreachableStage\s+hint\s+/m);
  });
});
