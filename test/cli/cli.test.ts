/** The bundled CLI (dist/cli.js) as CI runs it: output formats and exit codes. */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { corpusFiles, repoRoot } from '../support/fixtures';

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
    assert.match(r.stdout, /^ToolchainInFinalStage\s+hint\s+/m);
    assert.match(r.stdout, /^ToolchainCopiedToFinalStage\s+information\s+/m);
  });

  test('the advisor: its hints in text and SARIF, never failing the run by default; off by --severity or # check=skip', () => {
    const rust = 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nENTRYPOINT ["hello"]\n';
    fs.writeFileSync(path.join(dir, 'rust.Dockerfile'), rust);
    const text = run(['rust.Dockerfile'], { cwd: dir });
    assert.equal(text.code, 0);
    assert.match(text.stdout, /^rust\.Dockerfile:1:1: hint ToolchainInFinalStage: The default target stage 0 is built FROM rust:1, a Rust toolchain image, and compiles in it \(line 4\)/m);
    assert.match(text.stdout, /1 file checked: 0 error\(s\), 0 warning\(s\), 0 information, 1 hint\(s\)\.\n$/);

    const sarif = JSON.parse(run(['--format', 'sarif', 'rust.Dockerfile'], { cwd: dir }).stdout);
    const [result] = sarif.runs[0].results;
    assert.equal(result.ruleId, 'ToolchainInFinalStage');
    assert.equal(result.level, 'note');

    assert.equal(run(['--fail-on', 'hint', 'rust.Dockerfile'], { cwd: dir }).code, 1);
    assert.equal(run(['--severity', 'ToolchainInFinalStage=off', 'rust.Dockerfile'], { cwd: dir }).stdout, '1 file checked: no findings.\n');
    fs.writeFileSync(path.join(dir, 'skipped.Dockerfile'), `# check=skip=ToolchainInFinalStage\n${rust}`);
    assert.equal(run(['skipped.Dockerfile'], { cwd: dir }).stdout, '1 file checked: no findings.\n');
  });
});

// ------------------------------------------------------------------------------------------------
// The formats CI systems read, --target, --list-stages, folders with .gitignore, colour, workers.

/** The bundled CLI with a given environment (the test's own, less NO_COLOR, plus `env`). */
function runWith(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  if (!options.env || !('NO_COLOR' in options.env)) delete env.NO_COLOR;
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: options.cwd, env, maxBuffer: 256 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const CORPUS_SKIP = corpusFiles().length > 0 ? false : 'the corpus is not at ../shared/corpus/real (from the repository root)';

interface XmlElement {
  $?: Record<string, string>;
  [child: string]: unknown;
}
/** A strict XML parse (xml2js over sax in strict mode): throws on anything that is not well-formed. */
async function parseXml(text: string): Promise<Record<string, XmlElement>> {
  const xml2js = require('xml2js') as { parseStringPromise(text: string, options: object): Promise<Record<string, XmlElement>> };
  return xml2js.parseStringPromise(text, { strict: true, explicitArray: true });
}

/** A file whose name needs escaping in every format, with a finding of each severity, one with `%&<>` in its message. */
const ODD_NAME = 'odd,na:me%.Dockerfile';
const ODD_TEXT = 'FROM alpine AS build\nRUN make\nFROM alpine AS unused\nFROM alpine\nCOPY --from=build /a /b\nCOPY --from=bu%ld&<x> /c /d\nCOPY --from=0 /e /f\nCOPY --from=7 /g /h\n';
const ODD_MESSAGES = {
  unreachable: '"unused" (stage 1) is not built by default: the default target stage 2 does not use it. Build it with --target unused.',
  unknown: 'No stage named "bu%ld&<x>": BuildKit will use the image "bu%ld&<x>" instead.',
  numeric: '--from=0 refers to stage "build" by index: use its name, which stays right when stages move.',
  range: '--from=7: there is no stage 7. Stages are numbered from 0 and this file has 3 (0 to 2).',
};

describe('dockerfile-stages CLI: formats for CI', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-formats-'));
    fs.writeFileSync(path.join(dir, ODD_NAME), ODD_TEXT);
    fs.writeFileSync(path.join(dir, 'clean.Dockerfile'), 'FROM alpine AS build\nFROM alpine\nCOPY --from=build /a /b\n');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('--format github: workflow commands, error/warning/notice, with the runner\'s escaping', () => {
    const r = runWith(['--format', 'github', ODD_NAME, 'clean.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 1);
    const file = 'file=odd%2Cna%3Ame%25.Dockerfile';
    assert.equal(
      r.stdout,
      [
        `::notice ${file},line=3,col=1,endLine=3,endColumn=22,title=UnreachableStage::${ODD_MESSAGES.unreachable}`,
        `::warning ${file},line=6,col=13,endLine=6,endColumn=22,title=UnknownStageReference::No stage named "bu%25ld&<x>": BuildKit will use the image "bu%25ld&<x>" instead.`,
        `::notice ${file},line=7,col=13,endLine=7,endColumn=14,title=NumericStageReference::${ODD_MESSAGES.numeric}`,
        `::error ${file},line=8,col=13,endLine=8,endColumn=14,title=StageIndexOutOfRange::${ODD_MESSAGES.range}`,
        '',
      ].join('\n'),
    );
  });

  test('the GitHub escapes: % CR LF in messages, and : , too in properties', () => {
    const { githubData, githubProperty } = require('../../server/src/cli/formats') as typeof import('../../server/src/cli/formats');
    assert.equal(githubData('50%\r\nnext: a, b'), '50%25%0D%0Anext: a, b');
    assert.equal(githubProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
  });

  test('--format checkstyle: well-formed Checkstyle XML, every file listed, attributes escaped', async () => {
    const r = runWith(['--format', 'checkstyle', ODD_NAME, 'clean.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 1);
    assert.equal(
      r.stdout,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<checkstyle version="4.3">',
        `  <file name="${ODD_NAME}">`,
        '    <error line="3" column="1" severity="info" message="&quot;unused&quot; (stage 1) is not built by default: the default target stage 2 does not use it. Build it with --target unused." source="dockerfile-stages.UnreachableStage"/>',
        '    <error line="6" column="13" severity="warning" message="No stage named &quot;bu%ld&amp;&lt;x&gt;&quot;: BuildKit will use the image &quot;bu%ld&amp;&lt;x&gt;&quot; instead." source="dockerfile-stages.UnknownStageReference"/>',
        '    <error line="7" column="13" severity="info" message="--from=0 refers to stage &quot;build&quot; by index: use its name, which stays right when stages move." source="dockerfile-stages.NumericStageReference"/>',
        '    <error line="8" column="13" severity="error" message="--from=7: there is no stage 7. Stages are numbered from 0 and this file has 3 (0 to 2)." source="dockerfile-stages.StageIndexOutOfRange"/>',
        '  </file>',
        '  <file name="clean.Dockerfile"/>',
        '</checkstyle>',
        '',
      ].join('\n'),
    );
    // The shape a Checkstyle reader expects, read back by a strict XML parser: the messages come back as written.
    const xml = await parseXml(r.stdout);
    assert.deepEqual(Object.keys(xml), ['checkstyle']);
    const files = xml.checkstyle.file as XmlElement[];
    assert.deepEqual(files.map((f) => f.$!.name), [ODD_NAME, 'clean.Dockerfile']);
    const errors = files[0].error as XmlElement[];
    for (const e of errors) {
      assert.deepEqual(Object.keys(e.$!).sort(), ['column', 'line', 'message', 'severity', 'source']);
      assert.match(e.$!.line, /^[1-9][0-9]*$/);
      assert.match(e.$!.column, /^[1-9][0-9]*$/);
      assert.ok(['error', 'warning', 'info'].includes(e.$!.severity));
    }
    assert.deepEqual(errors.map((e) => e.$!.message), Object.values(ODD_MESSAGES));
    assert.equal(files[1].error, undefined);
  });

  test('the XML escapes: markup, line breaks and what XML 1.0 cannot hold', async () => {
    const { xmlAttribute } = require('../../server/src/cli/formats') as typeof import('../../server/src/cli/formats');
    const nasty = `a&b<c>"d'e\tf\ng\rh\u0001i\ud800j\u{1f600}`;
    const escaped = xmlAttribute(nasty);
    assert.equal(escaped, 'a&amp;b&lt;c&gt;&quot;d&apos;e&#9;f&#10;g&#13;h\ufffdi\ufffdj\u{1f600}');
    const xml = await parseXml(`<x a="${escaped}"/>`);
    assert.equal(xml.x.$!.a, `a&b<c>"d'e\tf\ng\rh\ufffdi\ufffdj\u{1f600}`);
  });

  test('--format gitlab: Code Quality issues with severities, paths, lines and stable fingerprints', () => {
    const r = runWith(['--format', 'gitlab', ODD_NAME, 'clean.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 1);
    const issues = JSON.parse(r.stdout) as Record<string, unknown>[];
    // The fingerprint: sha256 of the file as shown, the code, the 0-based range and the message.
    const fingerprint = (code: string, line: number, start: number, end: number, message: string) =>
      createHash('sha256').update(JSON.stringify([ODD_NAME, code, line - 1, start - 1, line - 1, end - 1, message])).digest('hex');
    const issue = (code: string, severity: string, line: number, start: number, end: number, message: string) => ({
      description: message,
      check_name: code,
      fingerprint: fingerprint(code, line, start, end, message),
      severity,
      location: { path: ODD_NAME, lines: { begin: line, end: line } },
    });
    assert.deepEqual(issues, [
      issue('UnreachableStage', 'info', 3, 1, 22, ODD_MESSAGES.unreachable),
      issue('UnknownStageReference', 'major', 6, 13, 22, ODD_MESSAGES.unknown),
      issue('NumericStageReference', 'minor', 7, 13, 14, ODD_MESSAGES.numeric),
      issue('StageIndexOutOfRange', 'critical', 8, 13, 14, ODD_MESSAGES.range),
    ]);
    // The shape GitLab reads: required fields with their types, severities from its list, fingerprints unique.
    for (const i of issues) {
      assert.deepEqual(Object.keys(i).sort(), ['check_name', 'description', 'fingerprint', 'location', 'severity']);
      assert.equal(typeof i.description, 'string');
      assert.equal(typeof i.check_name, 'string');
      assert.match(i.fingerprint as string, /^[0-9a-f]{64}$/);
      assert.ok(['info', 'minor', 'major', 'critical', 'blocker'].includes(i.severity as string));
      const location = i.location as { path: unknown; lines: { begin: unknown } };
      assert.equal(typeof location.path, 'string');
      assert.ok(Number.isInteger(location.lines.begin) && (location.lines.begin as number) >= 1);
    }
    assert.equal(new Set(issues.map((i) => i.fingerprint)).size, issues.length);
    // Stable: the same run gives the same fingerprints.
    assert.equal(runWith(['--format', 'gitlab', ODD_NAME, 'clean.Dockerfile'], { cwd: dir }).stdout, r.stdout);
  });

  test('no findings: empty annotations, an empty Code Quality list, Checkstyle with the file', async () => {
    assert.equal(runWith(['--format', 'github', 'clean.Dockerfile'], { cwd: dir }).stdout, '');
    assert.equal(runWith(['--format', 'gitlab', 'clean.Dockerfile'], { cwd: dir }).stdout, '[]\n');
    const r = runWith(['--format', 'checkstyle', 'clean.Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, '<?xml version="1.0" encoding="UTF-8"?>\n<checkstyle version="4.3">\n  <file name="clean.Dockerfile"/>\n</checkstyle>\n');
    await parseXml(r.stdout);
  });

  test('exit codes do not depend on the format', () => {
    for (const format of ['text', 'json', 'sarif', 'github', 'checkstyle', 'gitlab']) {
      assert.equal(runWith(['--format', format, ODD_NAME], { cwd: dir }).code, 1, format);
      assert.equal(runWith(['--format', format, '--fail-on', 'none', ODD_NAME], { cwd: dir }).code, 0, format);
      assert.equal(runWith(['--format', format, 'clean.Dockerfile'], { cwd: dir }).code, 0, format);
      assert.equal(runWith(['--format', format, 'missing.Dockerfile'], { cwd: dir }).code, 2, format);
    }
  });

  test('colour: on a terminal, never with NO_COLOR or --no-color, forced with --color, never in other formats', (t) => {
    const plain = runWith(['--fail-on', 'none', ODD_NAME], { cwd: dir }).stdout;
    assert.doesNotMatch(plain, /\x1b\[/, 'a pipe gets no colour');
    const forced = runWith(['--color', '--fail-on', 'none', ODD_NAME], { cwd: dir }).stdout;
    assert.match(forced, /^\x1b\[1modd,na:me%\.Dockerfile:8:13\x1b\[0m: \x1b\[31m\x1b\[1merror\x1b\[0m \x1b\[2mStageIndexOutOfRange\x1b\[0m: --from=7/m);
    assert.equal(forced.replace(/\x1b\[[0-9;]*m/g, ''), plain, 'colour changes nothing but the colour');
    for (const format of ['json', 'sarif', 'github', 'checkstyle', 'gitlab']) {
      assert.doesNotMatch(runWith(['--color', '--format', format, ODD_NAME], { cwd: dir }).stdout, /\x1b\[/, format);
    }
    // A terminal: util-linux `script` runs the CLI on a pseudo-terminal.
    const script = spawnSync('script', ['--version'], { encoding: 'utf8' });
    if (script.status !== 0) return t.skip('no `script` command to run the CLI on a terminal');
    const onTerminal = (args: string[], env: Record<string, string> = {}) => {
      const command = [process.execPath, CLI, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
      const e: Record<string, string | undefined> = { ...process.env, ...env };
      if (!('NO_COLOR' in env)) delete e.NO_COLOR;
      return spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, env: e, encoding: 'utf8', input: '' }).stdout.replace(/\r\n/g, '\n');
    };
    const tty = onTerminal(['--fail-on', 'none', ODD_NAME]);
    assert.match(tty, /\x1b\[31m\x1b\[1merror\x1b\[0m/, 'a terminal gets colour');
    assert.equal(tty.replace(/\x1b\[[0-9;]*m/g, ''), plain);
    assert.equal(onTerminal(['--fail-on', 'none', ODD_NAME], { NO_COLOR: '1' }), plain, 'NO_COLOR turns it off');
    assert.equal(onTerminal(['--no-color', '--fail-on', 'none', ODD_NAME]), plain, '--no-color turns it off');
    assert.match(onTerminal(['--fail-on', 'none', ODD_NAME], { NO_COLOR: '' }), /\x1b\[/, 'an empty NO_COLOR is no NO_COLOR');
    assert.doesNotMatch(onTerminal(['--format', 'github', ODD_NAME]), /\x1b\[/, 'no colour in other formats on a terminal');
  });
});

describe('dockerfile-stages CLI: --target and --list-stages', () => {
  let dir: string;
  // test builds FROM base; unused is built by nothing; the last stage copies from base.
  const TEXT = 'FROM alpine AS base\nFROM base AS Test\nRUN make test\nFROM alpine AS unused\nFROM alpine\nCOPY --from=base /a /b\n';
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-target-'));
    fs.writeFileSync(path.join(dir, 'Dockerfile'), TEXT);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('without --target the last stage is the target; with it, that stage', () => {
    const r = runWith(['Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0);
    const casing = "Dockerfile:2:14: warning StageNameCasing: Stage name 'Test' should be lowercase: BuildKit knows it as 'test'.";
    assert.equal(
      r.stdout,
      [
        'Dockerfile:2:1: hint UnreachableStage: "Test" (stage 1) is not built by default: the default target stage 3 does not use it. Build it with --target Test.',
        casing,
        'Dockerfile:4:1: hint UnreachableStage: "unused" (stage 2) is not built by default: the default target stage 3 does not use it. Build it with --target unused.',
        '1 file checked: 0 error(s), 1 warning(s), 0 information, 2 hint(s).',
        '',
      ].join('\n'),
    );
    assert.equal(
      runWith(['--target', 'test', 'Dockerfile'], { cwd: dir }).stdout,
      [
        casing,
        'Dockerfile:4:1: hint UnreachableStage: "unused" (stage 2) is not built by --target test: the target "Test" (stage 1) does not use it.',
        'Dockerfile:5:1: hint UnreachableStage: stage 3 is not built by --target test: the target "Test" (stage 1) does not use it.',
        '1 file checked: 0 error(s), 1 warning(s), 0 information, 2 hint(s).',
        '',
      ].join('\n'),
    );
  });

  test('--target NAME: the stages that build does not build, looked up as BuildKit does (any case)', () => {
    for (const name of ['test', 'TEST']) {
      const r = runWith(['--format', 'json', '--target', name, 'Dockerfile'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      const unreachable = (JSON.parse(r.stdout) as { line: number; code: string; message: string; related: { line: number; message: string }[] }[]).filter((f) => f.code === 'UnreachableStage');
      assert.deepEqual(
        unreachable.map((f) => [f.line, f.message, f.related]),
        [
          [4, `"unused" (stage 2) is not built by --target ${name}: the target "Test" (stage 1) does not use it.`, [{ line: 2, column: 1, message: 'The --target stage' }]],
          [5, `stage 3 is not built by --target ${name}: the target "Test" (stage 1) does not use it.`, [{ line: 2, column: 1, message: 'The --target stage' }]],
        ],
      );
    }
  });

  test('--target leaves every other finding as it was, and naming the last stage changes nothing', () => {
    const json = (args: string[]) => JSON.parse(runWith(['--format', 'json', ...args, 'Dockerfile'], { cwd: dir }).stdout) as { code: string }[];
    const others = (list: { code: string }[]) => list.filter((f) => f.code !== 'UnreachableStage');
    const plain = json([]);
    assert.ok(others(plain).length > 0, 'the fixture has other findings (StageNameCasing)');
    assert.deepEqual(others(json(['--target', 'test'])), others(plain));
    fs.writeFileSync(path.join(dir, 'named-last.Dockerfile'), TEXT.replace('FROM alpine\nCOPY', 'FROM alpine AS final\nCOPY'));
    const last = runWith(['--target', 'final', 'named-last.Dockerfile'], { cwd: dir });
    assert.equal(last.stdout, runWith(['named-last.Dockerfile'], { cwd: dir }).stdout);
  });

  test('--target with a severity setting: the setting holds for the findings it makes', () => {
    const r = runWith(['--format', 'json', '--target', 'test', '--severity', 'UnreachableStage=warning', 'Dockerfile'], { cwd: dir });
    const unreachable = (JSON.parse(r.stdout) as { code: string; severity: string }[]).filter((f) => f.code === 'UnreachableStage');
    assert.deepEqual(unreachable.map((f) => f.severity), ['warning', 'warning']);
    const off = runWith(['--format', 'json', '--target', 'test', '--severity', 'UnreachableStage=off', 'Dockerfile'], { cwd: dir });
    assert.ok(!(JSON.parse(off.stdout) as { code: string }[]).some((f) => f.code === 'UnreachableStage'));
  });

  test('--target naming no stage: exit 2, "did you mean", with or without workers', () => {
    for (const jobs of ['1', '2']) {
      const r = runWith(['--jobs', jobs, '--target', 'tset', 'Dockerfile'], { cwd: dir });
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'dockerfile-stages: Dockerfile: --target tset: no stage named "tset" (the build fails: "target stage tset could not be found"). Did you mean "test"?\n');
    }
    assert.equal(runWith(['--list-stages', 'Dockerfile', '--target', 'nope'], { cwd: dir }).code, 2);
  });

  test('--list-stages FILE: text', () => {
    const r = runWith(['--list-stages', 'Dockerfile'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'INDEX  NAME    BASE    LINE  REACHED',
        '0      base    alpine  1     yes',
        '1      Test    base    2     no',
        '2      unused  alpine  4     no',
        '3      -       alpine  5     yes',
        '',
      ].join('\n'),
    );
  });

  test('--list-stages FILE --format json, and with --target', () => {
    const r = runWith(['--list-stages', 'Dockerfile', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), [
      { index: 0, name: 'base', base: 'alpine', line: 1, reached: true },
      { index: 1, name: 'Test', base: 'base', line: 2, reached: false },
      { index: 2, name: 'unused', base: 'alpine', line: 4, reached: false },
      { index: 3, name: null, base: 'alpine', line: 5, reached: true },
    ]);
    const withTarget = JSON.parse(runWith(['--list-stages=Dockerfile', '--target=test', '--format=json'], { cwd: dir }).stdout) as { reached: boolean }[];
    assert.deepEqual(withTarget.map((s) => s.reached), [true, true, false, false]);
  });

  test('--list-stages: one file, text or json, from standard input too', () => {
    assert.equal(runWith(['--list-stages', 'Dockerfile', 'other'], { cwd: dir }).code, 2);
    assert.match(runWith(['--list-stages', 'Dockerfile', '--format', 'sarif'], { cwd: dir }).stderr, /--list-stages prints text or json/);
    assert.match(runWith(['--list-stages', 'missing'], { cwd: dir }).stderr, /missing: cannot read: no such file/);
    const stdin = spawnSync(process.execPath, [CLI, '--list-stages', '-', '--format', 'json'], { input: 'FROM alpine AS a\nFROM a\n', encoding: 'utf8' });
    assert.deepEqual(JSON.parse(stdin.stdout).map((s: { name: string | null }) => s.name), ['a', null]);
  });
});

describe('dockerfile-stages CLI: folders', () => {
  let dir: string;
  const dockerfile = (rel: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), 'FROM alpine\n');
  };
  /** The files a run checked, as Checkstyle lists them (every file, with findings or not). */
  const checkedFiles = async (args: string[], cwd = dir) => {
    const r = runWith(['--format', 'checkstyle', ...args], { cwd });
    assert.ok(r.code === 0 || r.code === 2, r.stderr);
    const xml = await parseXml(r.stdout);
    return ((xml.checkstyle.file as XmlElement[] | undefined) ?? []).map((f) => f.$!.name.split(path.sep).join('/'));
  };
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-folders-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the names Dockerfiles go by, and the names that only look like them', async () => {
    const names = path.join(dir, 'names');
    for (const n of ['Dockerfile', 'dockerfile', 'Dockerfile.dev', 'lint.Dockerfile', 'Windows.dockerfile', 'Containerfile', 'containerfile', 'Containerfile.arm64', 'app.containerfile', 'app.Containerfile']) dockerfile(`names/${n}`);
    for (const n of ['dockerfile.go', 'dockerfile.json', 'Dockerfile.dockerignore', 'app.Dockerfile.dockerignore', 'Dockerfile-old', 'notaDockerfile', 'DOCKERFILE']) dockerfile(`names/${n}`);
    assert.deepEqual(
      (await checkedFiles(['.'], names)).sort(),
      ['Containerfile', 'Containerfile.arm64', 'Dockerfile', 'Dockerfile.dev', 'Windows.dockerfile', 'app.Containerfile', 'app.containerfile', 'containerfile', 'dockerfile', 'lint.Dockerfile'],
    );
  });

  // A tree with a root .gitignore and a nested one: anchors, `**`, `!`, folders only, and a
  // nested file that re-includes what the root one ignores.
  const TREE = [
    'Dockerfile', 'ignored.Dockerfile', 'build/Dockerfile', 'sub/build/Dockerfile', 'x.tmp.Dockerfile', 'sub/y.tmp.Dockerfile',
    'gen/a/Dockerfile', 'gen/keep/Dockerfile', 'docs/Dockerfile', 'docs/Dockerfile.dev', 'sub/Dockerfile.local',
    'sub/deeper/Dockerfile.local', 'sub/ignored.Dockerfile', 'sub/anchored.Dockerfile', 'sub/deeper/anchored.Dockerfile',
    'cache/Dockerfile', 'sub/cache/Dockerfile', 'deep/a/b/c/d/e/f/g/h/i/j/Dockerfile',
  ];
  const ROOT_IGNORE = 'ignored.Dockerfile\n/build/\n*.tmp.Dockerfile\ngen/**\n!gen/keep/\n!gen/keep/**\ndocs/*\n!docs/Dockerfile\ncache/\n# a comment\n\n';
  const SUB_IGNORE = 'Dockerfile.local\n!ignored.Dockerfile\n/anchored.Dockerfile\n!cache/\n';
  const KEPT = [
    'Dockerfile', 'deep/a/b/c/d/e/f/g/h/i/j/Dockerfile', 'docs/Dockerfile', 'gen/keep/Dockerfile', 'sub/build/Dockerfile',
    'sub/cache/Dockerfile', 'sub/deeper/anchored.Dockerfile', 'sub/ignored.Dockerfile',
  ];
  const makeTree = (root: string) => {
    for (const f of TREE) dockerfile(`${root}/${f}`);
    fs.writeFileSync(path.join(dir, root, '.gitignore'), ROOT_IGNORE);
    fs.writeFileSync(path.join(dir, root, 'sub', '.gitignore'), SUB_IGNORE);
    // Never searched, whatever the ignore files say.
    dockerfile(`${root}/node_modules/pkg/Dockerfile`);
  };

  test('.gitignore files are honoured, the root one and nested ones, with git\'s pattern rules', async () => {
    makeTree('tree');
    fs.mkdirSync(path.join(dir, 'tree', '.git'));
    dockerfile('tree/.git/Dockerfile');
    assert.deepEqual(await checkedFiles(['.'], path.join(dir, 'tree')), KEPT);
    // A subfolder: the repository root's .gitignore still counts there.
    assert.deepEqual(await checkedFiles(['sub'], path.join(dir, 'tree')), ['sub/build/Dockerfile', 'sub/cache/Dockerfile', 'sub/deeper/anchored.Dockerfile', 'sub/ignored.Dockerfile']);
    // What was asked for is checked: an ignored folder named, an ignored file named.
    assert.deepEqual(await checkedFiles(['build', 'x.tmp.Dockerfile'], path.join(dir, 'tree')), ['build/Dockerfile', 'x.tmp.Dockerfile']);
  });

  test('a build file is known by its folders even when shown relative to one of them', () => {
    dockerfile('wf/Dockerfile');
    fs.mkdirSync(path.join(dir, 'wf', '.github', 'workflows'), { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'wf', '.github', 'workflows', 'ci.yml'),
      'on: push\njobs:\n  b:\n    runs-on: x\n    steps:\n      - uses: docker/build-push-action@v6\n        with:\n          target: nope\n',
    );
    const expected = 'workflows/ci.yml:8:19: warning UnknownBuildTarget: No stage named "nope" in ../../Dockerfile: the build fails ("target stage nope could not be found").\n1 file checked: 0 error(s), 1 warning(s), 0 information, 0 hint(s).\n';
    for (const arg of ['.', path.join('workflows', 'ci.yml')]) {
      const r = runWith([arg], { cwd: path.join(dir, 'wf', '.github') });
      assert.equal(r.stdout.split(path.sep).join('/'), expected, arg);
    }
  });

  test('the same files as git finds (git ls-files --others --exclude-standard)', async (t) => {
    if (spawnSync('git', ['--version']).status !== 0) return t.skip('git is not installed');
    makeTree('repo');
    const git = (...args: string[]) => spawnSync('git', ['-c', 'core.excludesFile=', ...args], { cwd: path.join(dir, 'repo'), encoding: 'utf8' });
    assert.equal(git('init', '-q').status, 0);
    const byGit = git('ls-files', '--others', '--exclude-standard').stdout.split('\n').filter((f) => f.endsWith('Dockerfile') && !f.startsWith('node_modules/'));
    assert.deepEqual(byGit.sort(), KEPT);
    assert.deepEqual(await checkedFiles(['.'], path.join(dir, 'repo')), KEPT);
  });
});

describe('dockerfile-stages CLI: the pre-commit hook', () => {
  const NAMES: [string, boolean][] = [
    ['Dockerfile', true], ['dockerfile', true], ['Dockerfile.dev', true], ['lint.Dockerfile', true], ['Windows.dockerfile', true],
    ['Containerfile', true], ['containerfile', true], ['Containerfile.arm64', true], ['app.containerfile', true], ['sub/dir/Dockerfile', true],
    ['dockerfile.go', false], ['Dockerfile.dockerignore', false], ['app.Dockerfile.dockerignore', false], ['Dockerfile-old', false],
    ['notaDockerfile', false], ['DOCKERFILE', false], ['sub/Dockerfile.d/x', false], ['.dockerfile', false],
  ];

  test('.pre-commit-hooks.yaml: a node hook running the package\'s command on the files the CLI would find', () => {
    const { parse } = require('yaml') as { parse(text: string): unknown };
    const hooks = parse(fs.readFileSync(path.join(repoRoot(), '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, unknown>[];
    assert.equal(hooks.length, 1);
    const hook = hooks[0];
    assert.equal(hook.id, 'dockerfile-stages');
    assert.equal(hook.language, 'node');
    const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot(), 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string> };
    assert.ok(pkg.bin[hook.entry as string], 'entry is the package\'s command');
    assert.match(pkg.scripts.dependencies, /scripts\/build\.mjs .*--cli-only/, 'an install bundles the CLI that npm pack then packs');
    const { isDockerfileName } = require('../../server/src/workspace/buildFiles') as typeof import('../../server/src/workspace/buildFiles');
    for (const [name, expected] of NAMES) assert.equal(isDockerfileName(name), expected, name);
  });

  test('its files and exclude patterns (Python regular expressions, as pre-commit reads them) select the same names', (t) => {
    const { parse } = require('yaml') as { parse(text: string): unknown };
    const hook = (parse(fs.readFileSync(path.join(repoRoot(), '.pre-commit-hooks.yaml'), 'utf8')) as Record<string, string>[])[0];
    const script = 'import json, re, sys\nfiles, exclude, names = json.load(sys.stdin)\nprint(json.dumps([bool(re.search(files, n)) and not re.search(exclude, n) for n in names]))';
    const r = spawnSync('python3', ['-c', script], { input: JSON.stringify([hook.files, hook.exclude, NAMES.map((n) => n[0])]), encoding: 'utf8' });
    if (r.error || r.status !== 0) return t.skip('no python3 to read the patterns as pre-commit does');
    assert.deepEqual(JSON.parse(r.stdout), NAMES.map((n) => n[1]));
  });
});

describe('dockerfile-stages CLI: worker threads', () => {
  test('how many workers: none for a few files, one per core for many, as --jobs says when given', () => {
    const { workerCount, FILES_PER_WORKER } = require('../../server/src/cli/pool') as typeof import('../../server/src/cli/pool');
    const cores = os.availableParallelism();
    assert.equal(workerCount(1, undefined), 0);
    assert.equal(workerCount(FILES_PER_WORKER, undefined), 0);
    assert.equal(workerCount(100_000, undefined), cores > 1 ? cores : 0);
    assert.equal(workerCount(1, 1), 0);
    assert.equal(workerCount(1, 4), 4);
  });

  test('the corpus with 1 worker and with several: the same output, the same exit code', { skip: CORPUS_SKIP }, () => {
    const files = corpusFiles();
    const one = runWith(['--format', 'json', '--jobs', '1', ...files]);
    assert.ok(JSON.parse(one.stdout).length > 100, 'the corpus has findings to compare');
    for (const jobs of ['2', '3', '7']) {
      const many = runWith(['--format', 'json', '--jobs', jobs, ...files]);
      assert.equal(many.code, one.code, `--jobs ${jobs}`);
      assert.equal(many.stdout, one.stdout, `--jobs ${jobs}`);
      assert.equal(many.stderr, one.stderr, `--jobs ${jobs}`);
    }
    assert.equal(runWith(['--format', 'json', ...files]).stdout, one.stdout, 'the default count');
    // Text too, with a file that cannot be read in the middle: reported in its place, exit 2.
    const withMissing = [...files.slice(0, 40), path.join(os.tmpdir(), 'no-such-dir-dockerfile-stages', 'Dockerfile'), ...files.slice(40)];
    const textOne = runWith(['--jobs', '1', ...withMissing]);
    const textMany = runWith(['--jobs', '3', ...withMissing]);
    assert.equal(textOne.code, 2);
    assert.deepEqual([textMany.code, textMany.stdout, textMany.stderr], [textOne.code, textOne.stdout, textOne.stderr]);
  });

  test('a folder of copies of the corpus: found in a stable order, the same with workers', { skip: CORPUS_SKIP }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-cli-copies-'));
    try {
      const files = corpusFiles();
      for (const copy of ['a', 'b', 'c']) {
        for (const f of files) {
          const target = path.join(dir, copy, path.basename(f).replace(/[^A-Za-z0-9_-]+/g, '_'), 'Dockerfile');
          fs.mkdirSync(path.dirname(target), { recursive: true });
          fs.copyFileSync(f, target);
        }
      }
      const one = runWith(['--format', 'json', '--jobs', '1', '.'], { cwd: dir });
      const many = runWith(['--format', 'json', '--jobs', '4', '.'], { cwd: dir });
      assert.equal(many.stdout, one.stdout);
      assert.equal(many.code, one.code);
      const text = runWith(['.'], { cwd: dir }).stdout;
      assert.match(text, new RegExp(`^${files.length * 3} files checked`, 'm'));
      const shown = (JSON.parse(one.stdout) as { file: string }[]).map((f) => f.file);
      assert.deepEqual(shown, [...shown].sort(), 'files in path order');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
