/**
 * Runs the extension-host suite (test/vscode/suite/, bundled to <out>/vscode/suite/index.js) in
 * a real VS Code, choosing how:
 *   - VS Code given by path (VSCODE_EXECUTABLE), or downloadable here with a display to run it
 *     on: @vscode/test-electron's runTests, as usual;
 *   - otherwise (these machines reach only npm and Debian): inside code-server's extension
 *     host, opened in Debian's Chromium with the test runner payload
 *     (extensionDevelopmentPath / extensionTestsPath) and `codeAutomationExit` exposed on the
 *     page, which the workbench calls with the suite's exit code.
 * E2E_VSCODE_RUNNER=electron|code-server forces a choice.
 *
 * Used by test/e2e/vscode-api.e2e.ts; also runnable on its own after `npm run test:e2e` built it:
 *   node .cache/e2e-out/vscode/runTests.js
 */
import * as fs from 'fs';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { CodeServer, CodeServerTools, launchChromium, setupCodeServer } from '../e2e/codeServer';
import { e2eOutDir, extensionDir, fixtureWorkspace, tempDir } from '../e2e/support';
import type { SuiteTestResult } from './suite/index';

export interface SuiteRun {
  runner: 'electron' | 'code-server';
  exitCode: number;
  results: SuiteTestResult[];
  /** The suite's own output and the editor's log, for a failure message. */
  log: string;
}

export type RunnerChoice = { runner: 'electron'; vscodeExecutablePath?: string; why: string } | { runner: 'code-server'; why: string };

/** Which editor the suite runs in here, and why. */
export async function chooseRunner(): Promise<RunnerChoice> {
  const forced = process.env.E2E_VSCODE_RUNNER;
  const executable = process.env.VSCODE_EXECUTABLE;
  if (forced === 'code-server') return { runner: 'code-server', why: 'E2E_VSCODE_RUNNER=code-server' };
  if (executable) return { runner: 'electron', vscodeExecutablePath: executable, why: `VSCODE_EXECUTABLE=${executable}` };
  if (forced === 'electron') return { runner: 'electron', why: 'E2E_VSCODE_RUNNER=electron' };
  if (process.platform === 'linux' && !process.env.DISPLAY) return { runner: 'code-server', why: 'no DISPLAY for a VS Code window' };
  const reachable = await fetch('https://update.code.visualstudio.com/api/releases/stable', { signal: AbortSignal.timeout(5_000) })
    .then((r) => r.ok, () => false);
  return reachable
    ? { runner: 'electron', why: 'VS Code can be downloaded' }
    : { runner: 'code-server', why: 'VS Code cannot be downloaded from update.code.visualstudio.com' };
}

/**
 * The workspace folder's name: what a shell would act on if a build ever handed the folder's
 * path to one (a lone quote that ends a quoted word, command substitutions, spaces, a newline). The
 * whole suite runs in it, and the build suite (build.suite.ts) checks that the stand-in docker
 * receives the path as one argument and that no `injected-by-*` file appears.
 */
export const WORKSPACE_NAME = "work it's $(touch injected-by-folder) `touch injected-by-backtick`\nsecond line";

/**
 * What the suite's editor is given: a copy of test/fixtures/e2e named WORKSPACE_NAME, and an
 * empty folder put first on PATH (E2E_STUB_BIN), where the build suite writes a stand-in
 * `docker` that records its arguments, so that builds run through VS Code's tasks for real.
 */
function suiteFolders(dir: string): { workspace: string; stubBin: string } {
  const stubBin = path.join(dir, 'stub-bin');
  fs.mkdirSync(stubBin);
  return { workspace: fixtureWorkspace(dir, WORKSPACE_NAME), stubBin };
}

function suiteEntry(): string {
  const entry = path.join(e2eOutDir(), 'vscode', 'suite', 'index.js');
  if (!fs.existsSync(entry)) throw new Error(`${entry} is missing: npm run test:e2e bundles it`);
  return entry;
}

function readResults(resultPath: string): SuiteTestResult[] {
  if (!fs.existsSync(resultPath)) return [];
  return (JSON.parse(fs.readFileSync(resultPath, 'utf8')) as { results: SuiteTestResult[] }).results;
}

/** Runs the suite in VS Code proper through @vscode/test-electron. */
export async function runInElectron(env: Record<string, string>, vscodeExecutablePath?: string): Promise<SuiteRun> {
  const dir = tempDir('vscode-electron');
  try {
    const { workspace, stubBin } = suiteFolders(dir);
    const resultPath = path.join(dir, 'suite-result.json');
    let exitCode = 0;
    let log = '';
    try {
      await runTests({
        vscodeExecutablePath,
        extensionDevelopmentPath: extensionDir(),
        extensionTestsPath: suiteEntry(),
        // test-electron starts VS Code itself with this environment: the tasks' terminals see this PATH too.
        extensionTestsEnv: { ...env, E2E_SUITE_RESULT: resultPath, E2E_STUB_BIN: stubBin, PATH: `${stubBin}${path.delimiter}${process.env.PATH ?? ''}` },
        // --force-disable-user-env: VS Code would otherwise take PATH from a login shell, which drops the stub folder.
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--force-disable-user-env', '--user-data-dir', path.join(dir, 'user-data'), '--extensions-dir', path.join(dir, 'extensions')],
      });
    } catch (e) {
      exitCode = 1;
      log = String(e);
    }
    return { runner: 'electron', exitCode, results: readResults(resultPath), log };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the suite in code-server's extension host, driven by Chromium. */
export async function runInCodeServer(tools: CodeServerTools, env: Record<string, string>, timeoutMs = 180_000): Promise<SuiteRun> {
  const dir = tempDir('vscode-suite');
  const { workspace, stubBin } = suiteFolders(dir);
  const resultPath = path.join(dir, 'suite-result.json');
  const server = await CodeServer.start(tools, {
    env: { ...env, E2E_SUITE_RESULT: resultPath, E2E_STUB_BIN: stubBin },
    pathPrefix: [stubBin],
    // The extension host's environment is the server's, not one a login shell makes (whose PATH
    // would drop the stub folder, and tasks find their program on the extension host's PATH).
    vscodeOptions: ['enable-smoke-test-driver', 'force-disable-user-env'],
  });
  const browser = await launchChromium();
  const consoleLines: string[] = [];
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('console', (m) => consoleLines.push(`[${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => consoleLines.push(`[pageerror] ${e.message}`));
    let exit: (code: number) => void = () => undefined;
    const exited = new Promise<number>((resolve) => (exit = resolve));
    await page.exposeFunction('codeAutomationExit', (code: number) => {
      exit(code);
    });
    await page.goto(server.folderUrl(workspace, [
      ['extensionDevelopmentPath', server.remoteUri(extensionDir())],
      ['extensionTestsPath', server.remoteUri(suiteEntry())],
    ]));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the extension-host suite did not finish in ${timeoutMs / 1000} s`)), timeoutMs);
    });
    let exitCode: number;
    let failure = '';
    try {
      exitCode = await Promise.race([exited, timedOut]);
    } catch (e) {
      exitCode = -1;
      failure = String(e);
    } finally {
      clearTimeout(timer);
    }
    const suiteOutput = consoleLines.filter((l) => !/^\[(debug|verbose)\]/.test(l)).slice(-80).join('\n');
    return {
      runner: 'code-server',
      exitCode,
      results: readResults(resultPath),
      log: `${failure}\n--- page console ---\n${suiteOutput}\n--- code-server log ---\n${server.log()}`,
    };
  } finally {
    await browser.close();
    await server.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Chooses the runner and runs the suite; `skip` when neither editor can be had here. */
export async function runExtensionHostSuite(env: Record<string, string> = {}): Promise<(SuiteRun & { why: string }) | { skip: string }> {
  const choice = await chooseRunner();
  if (choice.runner === 'electron') return { ...(await runInElectron(env, choice.vscodeExecutablePath)), why: choice.why };
  const tools = setupCodeServer();
  if ('skip' in tools) return { skip: `${choice.why}, and ${tools.skip}` };
  if (!fs.existsSync('/usr/bin/chromium')) return { skip: `${choice.why}, and /usr/bin/chromium is missing` };
  return { ...(await runInCodeServer(tools, env)), why: choice.why };
}

// Run as a program (not when bundled into test/e2e/vscode-api.e2e.ts, where require.main is the bundle too).
if (require.main === module && /runTests\.[jt]s$/.test(process.argv[1] ?? '')) {
  runExtensionHostSuite().then((run) => {
    if ('skip' in run) {
      console.log(`skipped: ${run.skip}`);
      return;
    }
    for (const r of run.results) console.log(`${r.state === 'passed' ? 'ok  ' : r.state === 'pending' ? 'skip' : 'FAIL'} ${r.title}${r.error ? `\n${r.error}` : ''}`);
    console.log(`${run.runner} (${run.why}): exit ${run.exitCode}`);
    if (run.exitCode !== 0) {
      console.log(run.log);
      process.exitCode = 1;
    }
  }, (e) => {
    console.error(e);
    process.exitCode = 1;
  });
}
