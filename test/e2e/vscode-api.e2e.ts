/**
 * The extension-host suite (test/vscode/suite/) in a real VS Code: @vscode/test-electron where VS
 * Code can be had, otherwise code-server's extension host (see test/vscode/runTests.ts). Each
 * mocha test of the suite is reported here as a test of its own; the suite's log is printed
 * when something failed. Skipped, with the reason, when no VS Code can be had here.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runExtensionHostSuite } from '../vscode/runTests';

describe('VS Code extension host (the suite in test/vscode/suite)', () => {
  test('runs in a real VS Code', { timeout: 600_000 }, async (t) => {
    const run = await runExtensionHostSuite({});
    if ('skip' in run) {
      t.skip(run.skip);
      return;
    }
    t.diagnostic(`${run.runner}: ${run.why}`);
    assert.ok(run.results.length > 0, `the suite reported no tests (exit ${run.exitCode}):\n${run.log}`);
    for (const r of run.results) {
      await t.test(r.title, { skip: r.state === 'pending' ? 'skipped in the suite' : false }, () => {
        if (r.state === 'failed') assert.fail(`${r.error}\n${run.log}`);
      });
    }
    assert.equal(run.exitCode, 0, `the suite's exit code\n${run.log}`);
  });
});
