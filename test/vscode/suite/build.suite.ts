/// <reference types="mocha" />
/**
 * ▶ Build this stage through VS Code's real task system. A stand-in `docker`, the one found on
 * the editor's PATH (the runner, test/vscode/runTests.ts, puts the empty folder E2E_STUB_BIN
 * first there; this suite writes the script into it), records the arguments it receives, one
 * JSON file per run, and exits 0. The workspace folder's name holds a quote, `$(touch …)`, a backquoted
 * command, spaces and a newline, and so does the Dockerfile's: were any of it read by a shell,
 * the arguments would differ and an `injected-by-*` file would appear in the folder (the shell's
 * working directory) or beside it.
 */
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import { type DockerRun, writeStandInDocker } from '../../e2e/standInDocker';
import { EXTENSION_ID, open, workspaceFile } from './helpers';

const BUILD_TASK_TYPE = 'dockerfile-stages';
/** A Dockerfile name for a shell to trip on (one per test: a file's text is not re-read while it is open). */
const hostileFile = (tag: string) => `Docker it's $(touch injected-by-file) \`touch injected-by-file-backtick\`\n${tag}.Dockerfile`;
// A name the lens never offers to build; a command argument can still carry it.
const HOSTILE_TARGET = "x'$(touch injected-by-target)'";

interface StageAction {
  title: string;
  command: string;
  arguments: unknown[];
}

suite('▶ Build this stage runs the build command without a shell', () => {
  let records: string;
  let folder: string;

  suiteSetup(async () => {
    const bin = process.env.E2E_STUB_BIN;
    assert.ok(bin, 'E2E_STUB_BIN: the runner (test/vscode/runTests.ts) puts this folder first on PATH for the stand-in docker');
    records = fs.mkdtempSync(path.join(os.tmpdir(), 'docker-runs-'));
    // Run by the extension host's own runtime (node in code-server; Electron as node in VS Code).
    writeStandInDocker(bin, records, process.execPath);
    // Tasks find their program on the extension host's PATH: were another docker found first,
    // a build here would run it.
    assert.strictEqual(firstOnPath('docker'), path.join(bin, 'docker'), `the stand-in is the docker on PATH=${process.env.PATH}`);
    folder = vscode.workspace.workspaceFolders![0].uri.fsPath;
    await vscode.extensions.getExtension(EXTENSION_ID)!.activate();
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (records) fs.rmSync(records, { recursive: true, force: true });
  });

  test('the workspace folder is named to break a shell', () => {
    const name = path.basename(folder);
    for (const part of ["'", '$(touch ', '`touch ', ' ', '\n']) assert.ok(name.includes(part), `${JSON.stringify(name)} holds ${JSON.stringify(part)}`);
  });

  test("the lens's build action gives docker the stage, the file and the folder as one argument each", async () => {
    const file = writeDockerfile(hostileFile('lens'), 'FROM alpine:3.20 AS build\nRUN true\n\nFROM build AS release\n');
    const doc = (await open(path.basename(file))).document;
    assert.strictEqual(doc.languageId, 'dockerfile');
    const build = await lensAction(doc.uri, 0, (a) => a.command === 'dockerfileStages.buildStage');
    assert.ok(build, 'the lens over FROM … AS build offers a build');
    assert.strictEqual(build.title, '▶ Build this stage (--target build)');

    const { run, exitCode } = await buildAndWait(() => vscode.commands.executeCommand(build.command, ...build.arguments));
    assertNothingInjected();
    assert.strictEqual(exitCode, 0, 'the task ran the stand-in docker, which exits 0');
    assert.deepStrictEqual(run.argv, ['build', '--target', 'build', '-f', file, folder]);
    assert.strictEqual(run.cwd, folder);
  });

  test('a target BuildKit would reject is refused, and no task runs', async () => {
    const file = writeDockerfile(hostileFile('refused'), `FROM alpine:3.20 AS ${HOSTILE_TARGET}\nFROM alpine:3.20 AS ok\n`);
    const doc = (await open(path.basename(file))).document;
    const lensBuild = await lensAction(doc.uri, 0, (a) => a.command === 'dockerfileStages.buildStage');
    assert.strictEqual(lensBuild, undefined, 'no build action in the menu of the stage with that name');

    const started: string[] = [];
    const listener = vscode.tasks.onDidStartTask((e) => started.push(e.execution.task.name));
    try {
      // Whoever calls the command with such a target, it refuses (a warning, no task).
      await vscode.commands.executeCommand('dockerfileStages.buildStage', doc.uri.toString(), HOSTILE_TARGET);
      await vscode.commands.executeCommand('dockerfileStages.buildStage', doc.uri.toString(), 'scratch');
      // Then a valid build, waited for to its end: any task the refused calls had started
      // would have started before it.
      const { run } = await buildAndWait(() => vscode.commands.executeCommand('dockerfileStages.buildStage', doc.uri.toString(), 'ok'));
      assert.deepStrictEqual(run.argv.slice(0, 3), ['build', '--target', 'ok']);
    } finally {
      listener.dispose();
    }
    assert.deepStrictEqual(started, ['build --target ok']);
    assertNothingInjected();
  });

  test('a Dockerfile whose path holds ${ is refused (VS Code would replace ${env:…} in a task), and no task runs', async () => {
    // Run anyway, VS Code's task system would pass `-f …/Dockerfile./its/home` to docker.
    const name = 'Dockerfile.${env:HOME}';
    writeDockerfile(name, 'FROM alpine:3.20 AS build\n');
    const doc = (await open(name)).document;
    const started: string[] = [];
    const listener = vscode.tasks.onDidStartTask((e) => started.push(e.execution.task.name));
    try {
      await vscode.commands.executeCommand('dockerfileStages.buildStage', doc.uri.toString(), 'build');
      const file = writeDockerfile('Dockerfile.plain', 'FROM alpine:3.20 AS plain\n');
      const { run } = await buildAndWait(() => vscode.commands.executeCommand('dockerfileStages.buildStage', vscode.Uri.file(file).toString(), 'plain'));
      assert.deepStrictEqual(run.argv, ['build', '--target', 'plain', '-f', file, folder]);
    } finally {
      listener.dispose();
    }
    assert.deepStrictEqual(started, ['build --target plain']);
  });

  /** Writes a Dockerfile into the workspace folder; its path. */
  function writeDockerfile(name: string, text: string): string {
    const file = workspaceFile(name).fsPath;
    fs.writeFileSync(file, text);
    return file;
  }

  /** Runs `trigger`, waits for the end of the build task it starts, and reads what docker received. */
  async function buildAndWait(trigger: () => Thenable<unknown>, timeoutMs = 30_000): Promise<{ run: DockerRun; exitCode: number | undefined }> {
    const before = new Set(fs.readdirSync(records));
    let ended: vscode.Disposable | undefined;
    let timer: NodeJS.Timeout | undefined;
    const exitCode = new Promise<number | undefined>((resolve, reject) => {
      ended = vscode.tasks.onDidEndTaskProcess((e) => {
        if (e.execution.task.definition.type === BUILD_TASK_TYPE) resolve(e.exitCode);
      });
      timer = setTimeout(() => reject(new Error(`no build task ended within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await trigger();
      const code = await exitCode;
      const runs = fs.readdirSync(records).filter((f) => !before.has(f));
      assert.strictEqual(runs.length, 1, `one run of the stand-in docker; got ${JSON.stringify(runs)}, the task's exit code ${code}`);
      return { run: JSON.parse(fs.readFileSync(path.join(records, runs[0]), 'utf8')) as DockerRun, exitCode: code };
    } finally {
      ended?.dispose();
      clearTimeout(timer);
    }
  }

  function assertNothingInjected(): void {
    for (const dir of [folder, path.dirname(folder)]) {
      const injected = fs.readdirSync(dir).filter((f) => f.startsWith('injected-by-'));
      assert.deepStrictEqual(injected, [], `files a shell created in ${JSON.stringify(dir)}`);
    }
  }
});

/** The action of the lens on `line` that `pick` chooses, from the menu the lens opens. */
async function lensAction(uri: vscode.Uri, line: number, pick: (a: StageAction) => boolean): Promise<StageAction | undefined> {
  const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100);
  const lens = lenses.find((l) => l.range.start.line === line);
  assert.ok(lens?.command, `a lens on line ${line}; got ${JSON.stringify(lenses.map((l) => [l.range.start.line, l.command?.title]))}`);
  // A lens with no actions only informs: its command has no menu.
  return ((lens.command.arguments?.[1] ?? []) as StageAction[]).find(pick);
}

function firstOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, command);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}
