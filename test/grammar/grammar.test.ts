/**
 * The stage-name injection grammar (syntaxes/dockerfile-stages.injection.tmLanguage.json) on top
 * of VS Code's Dockerfile grammar (the copy the tm-grammars package ships), checked with
 * vscode-tmgrammar-test against the annotated files test/grammar/*.test.dockerfile.
 *
 * tmgrammar-test.config.json declares both grammars as package.json's contributes.grammars does:
 * the CLI's -g option gives a grammar no injectTo, so an injection must come from a --config.
 * By hand: npx vscode-tmgrammar-test --config test/grammar/tmgrammar-test.config.json 'test/grammar/*.test.dockerfile'
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { createRegistry, loadConfiguration } from 'vscode-tmgrammar-test/dist/common/index';
import { parseGrammarTestCase, runGrammarTestCase, TestFailure } from 'vscode-tmgrammar-test/dist/unit/index';
import { repoRoot } from '../support/fixtures';

const ROOT = repoRoot();
const DIR = path.join(ROOT, 'test', 'grammar');
const CONFIG = path.join(DIR, 'tmgrammar-test.config.json');
const INJECTION_PATH = './syntaxes/dockerfile-stages.injection.tmLanguage.json';
const INJECTION = path.join(ROOT, INJECTION_PATH);
const CLI = path.join(path.dirname(require.resolve('vscode-tmgrammar-test/package.json')), 'dist', 'unit.js');

const CASE_FILES = fs
  .readdirSync(DIR)
  .filter((f) => f.endsWith('.test.dockerfile'))
  .sort()
  .map((f) => path.join(DIR, f));

type Registry = ReturnType<typeof createRegistry>;

function registry(withInjection: boolean): Registry {
  const { grammars } = loadConfiguration(CONFIG, undefined, undefined);
  return createRegistry(withInjection ? grammars : grammars.filter((g) => !g.injectTo));
}

async function check(reg: Registry, text: string): Promise<{ assertions: number; failures: TestFailure[] }> {
  const testCase = parseGrammarTestCase(text);
  const assertions = testCase.assertions.reduce((n, a) => n + a.scopeAssertions.length, 0);
  return { assertions, failures: await runGrammarTestCase(reg, testCase) };
}

function describeFailure(f: TestFailure): string {
  return `line ${f.line + 1} [${f.start}, ${f.end}): missing ${f.missing.join(' ') || '-'}; unexpected ${f.unexpected.join(' ') || '-'}; actual ${f.actual.join(' ')}`;
}

function runCli(files: string[]) {
  const r = spawnSync(process.execPath, [CLI, '--config', CONFIG, ...files], { cwd: ROOT, encoding: 'utf8' });
  return { code: r.status, out: r.stdout + r.stderr };
}

describe('stage-name injection grammar', () => {
  test('the annotated test files exist', () => {
    assert.ok(CASE_FILES.length >= 3, `test files in ${DIR}: ${CASE_FILES.length}`);
  });

  test('every scope assertion passes', async (t) => {
    const reg = registry(true);
    let total = 0;
    for (const file of CASE_FILES) {
      const { assertions, failures } = await check(reg, fs.readFileSync(file, 'utf8'));
      const name = path.relative(ROOT, file);
      assert.deepEqual(failures.map(describeFailure), [], name);
      assert.ok(assertions > 0, `${name} has no assertions`);
      t.diagnostic(`${name}: ${assertions} assertions passed`);
      total += assertions;
    }
    t.diagnostic(`${total} grammar assertions passed in ${CASE_FILES.length} files`);
  });

  test('the vscode-tmgrammar-test CLI passes them (exit code 0)', () => {
    const r = runCli(CASE_FILES);
    assert.equal(r.code, 0, r.out);
    for (const file of CASE_FILES) assert.ok(r.out.includes(`${file} run successfuly`), r.out);
  });

  test('a wrong assertion fails, through the API and the CLI', async () => {
    // `build` is the stage's name, not a reference to a stage.
    const wrong = '# SYNTAX TEST "source.dockerfile"\nFROM golang:1.22 AS build\n#                   ^^^^^ entity.name.type.stage.reference.dockerfile\n';
    const { failures } = await check(registry(true), wrong);
    assert.equal(failures.length, 1);
    assert.deepEqual(failures[0].missing, ['entity.name.type.stage.reference.dockerfile']);

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-grammar-'));
    try {
      const file = path.join(dir, 'wrong.test.dockerfile');
      fs.writeFileSync(file, wrong);
      const r = runCli([file]);
      assert.notEqual(r.code, 0, r.out);
      assert.match(r.out, /missing required scopes: entity\.name\.type\.stage\.reference\.dockerfile/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('the base grammar alone does not pass them (the assertions test the injection)', async () => {
    const reg = registry(false);
    for (const file of CASE_FILES) {
      const { failures } = await check(reg, fs.readFileSync(file, 'utf8'));
      assert.ok(failures.length > 0, `${path.relative(ROOT, file)} passes without the injection`);
    }
  });

  test('the injection grammar is declared for source.dockerfile', () => {
    const grammar = JSON.parse(fs.readFileSync(INJECTION, 'utf8'));
    assert.equal(grammar.scopeName, 'dockerfile-stages.injection');
    assert.match(grammar.injectionSelector, /^L:source\.dockerfile\b/);
    const { grammars } = loadConfiguration(CONFIG, undefined, undefined);
    const declared = grammars.find((g) => path.resolve(g.path) === INJECTION);
    assert.ok(declared, `${CONFIG} declares ${INJECTION_PATH}`);
    assert.equal(declared.scopeName, grammar.scopeName);
    assert.deepEqual(declared.injectTo, ['source.dockerfile']);
  });

  test("package.json contributes it the same way (once it is added)", (t) => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const entries: { path: string; scopeName?: string; language?: string; injectTo?: string[] }[] = pkg.contributes?.grammars ?? [];
    const entry = entries.find((g) => path.resolve(ROOT, g.path) === INJECTION);
    if (!entry) {
      t.skip('package.json does not contribute the injection grammar yet');
      return;
    }
    assert.equal(entry.scopeName, 'dockerfile-stages.injection');
    assert.deepEqual(entry.injectTo, ['source.dockerfile']);
    // A `language` would make it replace the built-in Dockerfile grammar instead of injecting.
    assert.equal(entry.language, undefined);
  });
});
