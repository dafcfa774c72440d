/// <reference types="mocha" />
/**
 * A language server that dies is started again by the extension's client, and the features
 * come back. The client (client/src/extension.ts) forks dist/server.js over IPC from the extension
 * host, and the launcher runs dist/server-main.js inside that same process, so the server is one
 * process: a child of the extension host whose command line names dist/server.js. The suite finds
 * it in the process list (`ps`, run without a shell), kills it with SIGKILL, and waits, on
 * vscode.languages.onDidChangeDiagnostics and never on a clock, for the document's diagnostics to
 * come back from a new server process; then definition, hover and a command that sends the
 * extension's own request must answer as before. Twice: vscode-languageclient's default error
 * handler, which the extension keeps, restarts a crashed server up to 4 times in 3 minutes.
 *
 * Dockerfile (0-based lines): see features.suite.ts.
 */
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as path from 'path';
import * as vscode from 'vscode';
import { EXTENSION_ID, nextDiagnostics, open, positionOf, rangeText, summary, targetOf, waitForDiagnostics } from './helpers';

const { Warning: W, Information: I } = vscode.DiagnosticSeverity;
// Once the server has read the workspace's build files, which build stage test (a new server
// reads them again): no UnreachableStage.
const EXPECTED = [
  ['UnknownStageReference', 9, 12, 9, 16, W],
  ['NumericStageReference', 11, 12, 11, 13, I],
];
/** How long the client may take to notice the death and have a new server publish (a failure, not a wait). */
const RESTART_TIMEOUT_MS = 60_000;

interface ProcessEntry {
  pid: number;
  ppid: number;
  args: string;
}

suite('a killed language server is restarted by the client', () => {
  let doc: vscode.TextDocument;
  let serverModule: string;

  suiteSetup(async function () {
    if (process.platform === 'win32') this.skip(); // the process list is read with ps
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    doc = (await open('Dockerfile')).document;
    await extension.activate();
    serverModule = path.join(extension.extensionPath, 'dist', 'server.js');
    const ds = await waitForDiagnostics(doc.uri, (d) => sameSummary(d), 'the two diagnostics of the Dockerfile');
    assert.deepStrictEqual(summary(ds), EXPECTED);
  });

  test('the server is one process, forked over IPC by the extension host, running dist/server-main.js inside it', () => {
    const servers = serverProcesses();
    assert.strictEqual(servers.length, 1, `one server process; the extension host's descendants:\n${tree()}`);
    const [server] = servers;
    assert.strictEqual(server.ppid, process.pid, 'a child of the extension host');
    assert.ok(server.args.includes('--node-ipc'), `started for IPC: ${server.args}`);
    assert.ok(server.args.includes(`--clientProcessId=${process.pid}`), `told the extension host's pid: ${server.args}`);
    const below = descendants(processes(), server.pid);
    assert.deepStrictEqual(below, [], 'the launcher starts no process of its own: server-main.js runs in the same one');
  });

  test('after a SIGKILL a new server starts; diagnostics, definition, hover and the stage commands answer as before', async function () {
    this.timeout(RESTART_TIMEOUT_MS + 30_000);
    const before = await answers();
    assert.deepStrictEqual(before.definition, [[doc.uri.toString(), '1:20-1:25']]);
    assert.match(before.hover, /\*\*Stage `build`\*\* \(stage 0\)/);

    await killAndWaitForNewServer();

    assert.deepStrictEqual(await answers(), before);
    // The extension's commands send their own requests through the same client object.
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(2, 0, 2, 0);
    await vscode.commands.executeCommand('dockerfileStages.nextStage');
    assert.strictEqual(editor.selection.active.line, 5, 'Next Stage moved to the next FROM');
  });

  test('a second kill is recovered from too, and the extension stays active', async function () {
    this.timeout(RESTART_TIMEOUT_MS + 30_000);
    const before = await answers();
    await killAndWaitForNewServer();
    assert.deepStrictEqual(await answers(), before);
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive, 'the extension is still active');
  });

  /** Kills the one server process, waits for the diagnostics a new one publishes; both pids. */
  async function killAndWaitForNewServer(): Promise<{ killed: number; started: number }> {
    const servers = serverProcesses();
    assert.strictEqual(servers.length, 1, `one server process before the kill; the extension host's descendants:\n${tree()}`);
    const killed = servers[0].pid;
    // Only an event after the kill counts, and only once a server other than the killed one runs:
    // the client drops the diagnostics when the connection closes and the new server publishes them again.
    const back = nextDiagnostics(
      doc.uri,
      (ds) => sameSummary(ds) && serverProcesses().some((p) => p.pid !== killed),
      `the diagnostics again from a new server after killing ${killed}`,
      RESTART_TIMEOUT_MS,
    ).catch((e: Error) => {
      throw new Error(`${e.message}\nthe extension host's descendants now:\n${tree()}`);
    });
    process.kill(killed, 'SIGKILL');
    const ds = await back;
    assert.deepStrictEqual(summary(ds), EXPECTED);
    const now = serverProcesses();
    assert.strictEqual(now.length, 1, `one server process after the restart:\n${tree()}`);
    assert.notStrictEqual(now[0].pid, killed, 'the new server is another process');
    assert.strictEqual(now[0].ppid, process.pid, 'started by the extension host again');
    return { killed, started: now[0].pid };
  }

  /** What the definition and hover providers answer at the stage references of the Dockerfile. */
  async function answers(): Promise<{ definition: string[][]; hover: string }> {
    const definitions = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      'vscode.executeDefinitionProvider', doc.uri, positionOf(doc, 10, 'build', 2));
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, positionOf(doc, 5, 'build', 1));
    return {
      definition: definitions.map((a) => [targetOf(a).uri.toString(), rangeText(targetOf(a).range)]),
      hover: hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n'),
    };
  }

  /** The extension host's descendants whose command line names the extension's dist/server.js. */
  function serverProcesses(): ProcessEntry[] {
    return descendants(processes(), process.pid).filter((p) => ` ${p.args} `.includes(` ${serverModule} `));
  }

  function tree(): string {
    return descendants(processes(), process.pid).map((p) => `${p.pid} ${p.ppid} ${p.args}`).join('\n') || '(none)';
  }
});

function sameSummary(ds: vscode.Diagnostic[]): boolean {
  return JSON.stringify(summary(ds)) === JSON.stringify(EXPECTED);
}

/** Every process: pid, parent pid and command line (ps, started directly, no shell). */
function processes(): ProcessEntry[] {
  const out = execFileSync('ps', ['-A', '-ww', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' });
  return out.split('\n').flatMap((line) => {
    const m = /^\s*(\d+)\s+(\d+)\s(.*)$/.exec(line);
    return m ? [{ pid: Number(m[1]), ppid: Number(m[2]), args: m[3] }] : [];
  });
}

/** The processes below `root` (children, their children, …). */
function descendants(all: ProcessEntry[], root: number): ProcessEntry[] {
  const found: ProcessEntry[] = [];
  const parents = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const p of all) {
      if (parents.has(p.ppid) && !parents.has(p.pid)) {
        parents.add(p.pid);
        found.push(p);
        grew = true;
      }
    }
  }
  return found;
}
