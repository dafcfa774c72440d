/**
 * The extension-host test entry point (`extensionTestsPath`), as @vscode/test-electron and
 * code-server's test runner load it: runs every *.suite.js next to this file with mocha (TDD
 * interface) inside VS Code's extension host, where `vscode` is the real API.
 *
 * Besides mocha's spec output (which lands in the extension host's log), each test's outcome is
 * written as JSON to E2E_SUITE_RESULT when it is set, so that the node:test file that started the
 * editor (test/e2e/vscode-api.e2e.ts) can report every test by name.
 */
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

export interface SuiteTestResult {
  title: string;
  state: 'passed' | 'failed' | 'pending';
  durationMs?: number;
  error?: string;
}

export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const files = fs.readdirSync(__dirname).filter((f) => f.endsWith('.suite.js')).sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));
  const results: SuiteTestResult[] = [];
  const resultPath = process.env.E2E_SUITE_RESULT;
  const save = () => {
    if (resultPath) fs.writeFileSync(resultPath, JSON.stringify({ files, results }, null, 2));
  };
  return new Promise((resolve, reject) => {
    try {
      const runner = mocha.run((failures) => {
        save();
        if (failures > 0) reject(new Error(`${failures} extension-host tests failed`));
        else resolve();
      });
      runner.on('pass', (t) => results.push({ title: t.fullTitle(), state: 'passed', durationMs: t.duration }));
      runner.on('fail', (t, err: Error) => results.push({ title: t.fullTitle(), state: 'failed', durationMs: t.duration, error: err?.stack ?? String(err) }));
      runner.on('pending', (t) => results.push({ title: t.fullTitle(), state: 'pending' }));
    } catch (e) {
      results.push({ title: 'loading the suite', state: 'failed', error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      save();
      reject(e);
    }
  });
}
