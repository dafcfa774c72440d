/**
 * Stages as one symbol across files, through the bundled server over stdio: a copy of
 * test/fixtures/workspace (app/Dockerfile and tools/Dockerfile.tools, built by a Compose file,
 * two Bake files, a dev container and a workflow) is the workspace folder. The build files are
 * read from disk without being opened, then opened and edited; the Dockerfile learns who builds
 * it. Every test waits for the message it expects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeAction, CodeLens, CompletionList, Diagnostic, Hover, Location, LocationLink, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';
import { fixturePath } from '../support/fixtures';

const pos = (line: number, character: number) => ({ line, character });
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.code}`).sort();

describe('build files: Compose, Bake, dev containers and workflows', () => {
  let client: TestClient;
  let root: string;
  const uriOf = (relative: string) => pathToFileURL(path.join(root, relative)).href;
  const text = (relative: string) => fs.readFileSync(path.join(root, relative), 'utf8');

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-build-files-'));
    fs.cpSync(fixturePath('workspace'), root, { recursive: true });
    client = await TestClient.start({ folder: root });
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test('a Dockerfile knows who builds it: no unreachable builder or test stage, no unknown named context', async () => {
    const uri = uriOf('app/Dockerfile');
    await client.open(uri, text('app/Dockerfile'));
    // Before the build files are read, builder and test are unreachable and `shared` unknown.
    const published = await client.waitForDiagnostics(uri, (p) => !p.diagnostics.some((d) => d.code === 'UnknownStageReference'));
    assert.deepEqual(codes(published.diagnostics), []);
  });

  test('the stage lens says who builds it', async () => {
    const uri = uriOf('app/Dockerfile');
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const titles: string[] = [];
    for (const lens of lenses) titles.push((await client.request<CodeLens>('codeLens/resolve', lens)).command!.title);
    assert.match(titles[1], /built by compose: api · dev container: App dev/);
    assert.match(titles[2], /built by compose: worker · bake: app-test · workflow: image: Build test stage/);
    assert.doesNotMatch(titles[2], /not built by default/);
  });

  test('a Compose file on disk, opened: targets that name no stage, and Dockerfiles that are not there', async () => {
    const uri = uriOf('compose.yaml');
    await client.open(uri, text('compose.yaml'), 1, 'dockercompose');
    const published = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(codes(published.diagnostics), ['19:MissingDockerfile']);
    const missing = published.diagnostics[0];
    assert.deepEqual(missing.range, { start: pos(19, 15), end: pos(19, 24) });
    assert.match(missing.message as string, /No Dockerfile at missing\/Dockerfile/);
  });

  test('definition from a target lands on the stage, across files; from a dockerfile path on the file', async () => {
    const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uriOf('compose.yaml') }, position: pos(4, 16) });
    assert.deepEqual(links.map((l) => [l.targetUri, l.targetSelectionRange]), [[uriOf('app/Dockerfile'), { start: pos(1, 13), end: pos(1, 20) }]]);
    const bake = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uriOf('docker-bake.hcl') }, position: pos(17, 14) });
    assert.deepEqual(bake.map((l) => [l.targetUri, l.targetSelectionRange.start]), [[uriOf('app/Dockerfile'), pos(5, 20)]]);
  });

  test('a target is matched case-insensitively, as BuildKit looks up --target', async () => {
    const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: uriOf('.devcontainer/devcontainer.json') }, position: pos(6, 17) });
    assert.deepEqual(links.map((l) => [l.targetUri, l.targetSelectionRange.start]), [[uriOf('app/Dockerfile'), pos(1, 13)]]);
  });

  test('references of a stage include every target that builds it', async () => {
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri: uriOf('app/Dockerfile') }, position: pos(3, 17), context: { includeDeclaration: true } });
    const places = refs.map((r) => `${path.relative(root, new URL(r.uri).pathname)}:${r.range.start.line}`).sort();
    assert.deepEqual(places, ['.github/workflows/ci.yml:11', 'app/Dockerfile:3', 'compose.yaml:12', 'docker-bake.hcl:22']);
  });

  test('rename from a target changes the stage, its uses and every literal target, in one edit', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: uriOf('compose.yaml') }, position: pos(4, 16), newName: 'compile' });
    const changed = Object.entries(edit.changes!).map(([uri, edits]) => `${path.relative(root, new URL(uri).pathname)}: ${edits.map((e) => `${e.range.start.line}:${e.range.start.character} ${e.newText}`).join(', ')}`).sort();
    assert.deepEqual(changed, [
      '.devcontainer/devcontainer.json: 6:15 compile',
      'app/Dockerfile: 1:13 compile, 3:5 compile, 6:12 compile',
      'compose.yaml: 4:14 compile',
    ]);
  });

  test('rename refuses where a target that builds the stage is computed', async () => {
    await assert.rejects(
      client.request('textDocument/rename', { textDocument: { uri: uriOf('app/Dockerfile') }, position: pos(3, 17), newName: 'unit' }),
      /\$\{WORKER_TARGET:-test\}, which a rename cannot rewrite/,
    );
  });

  test('completion in a target offers the stage names of its Dockerfile', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: uriOf('compose.yaml') }, position: pos(4, 16) });
    assert.deepEqual(list.items.map((i) => i.label), ['base', 'builder', 'test', 'release']);
  });

  test('a misspelt target: a warning with "did you mean", and a quick fix; hover on a good one describes the stage', async () => {
    const uri = uriOf('docker-bake.hcl');
    await client.open(uri, text('docker-bake.hcl'), 1, 'hcl');
    const published = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(codes(published.diagnostics), ['27:UnknownBuildTarget']);
    const typo = published.diagnostics[0];
    assert.match(typo.message as string, /No stage named "buidler" in app\/Dockerfile.*Did you mean "builder"\?/);
    const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: typo.range, context: { diagnostics: [typo] } });
    assert.deepEqual(actions.map((a) => [a.title, a.edit!.changes![uri][0].newText]), [["Change to 'builder'", 'builder']]);
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(17, 14) });
    assert.match((hover.contents as { value: string }).value, /Stage 3 of `Dockerfile`/);
  });

  test('an edited build file is read again: a fixed target, and the Dockerfile follows', async () => {
    const uri = uriOf('docker-bake.hcl');
    await client.change(uri, 2, [{ range: { start: pos(27, 12), end: pos(27, 19) }, text: 'builder' }]);
    const published = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(codes(published.diagnostics), []);
  });

  // Each wait fails the test when the server never publishes what it waits for.
  test('an edit of the open Dockerfile alone is checked again in the open build files that build it', { timeout: 15_000 }, async () => {
    const dockerfile = uriOf('app/Dockerfile');
    const compose = uriOf('compose.yaml');
    const bake = uriOf('docker-bake.hcl');
    // Stage test renamed to unit in the Dockerfile only: the targets that build test (their
    // defaults) name no stage any more.
    let composeNow = client.nextDiagnostics(compose, (p) => codes(p.diagnostics).includes('12:UnknownBuildTarget'));
    let bakeNow = client.nextDiagnostics(bake, (p) => codes(p.diagnostics).includes('22:UnknownBuildTarget'));
    await client.change(dockerfile, 2, [{ range: { start: pos(3, 16), end: pos(3, 20) }, text: 'unit' }]);
    assert.deepEqual(codes((await composeNow).diagnostics), ['12:UnknownBuildTarget', '19:MissingDockerfile']);
    assert.deepEqual(codes((await bakeNow).diagnostics), ['22:UnknownBuildTarget']);
    // Named test again: the warnings go.
    composeNow = client.nextDiagnostics(compose, (p) => !codes(p.diagnostics).includes('12:UnknownBuildTarget'));
    bakeNow = client.nextDiagnostics(bake, (p) => p.diagnostics.length === 0);
    await client.change(dockerfile, 3, [{ range: { start: pos(3, 16), end: pos(3, 20) }, text: 'test' }]);
    assert.deepEqual(codes((await composeNow).diagnostics), ['19:MissingDockerfile']);
    assert.deepEqual(codes((await bakeNow).diagnostics), []);
    // Renamed again, then closed without saving: the file on disk, which has stage test, counts.
    composeNow = client.nextDiagnostics(compose, (p) => codes(p.diagnostics).includes('12:UnknownBuildTarget'));
    await client.change(dockerfile, 4, [{ range: { start: pos(3, 16), end: pos(3, 20) }, text: 'unit' }]);
    await composeNow;
    composeNow = client.nextDiagnostics(compose, (p) => !codes(p.diagnostics).includes('12:UnknownBuildTarget'));
    await client.close(dockerfile);
    assert.deepEqual(codes((await composeNow).diagnostics), ['19:MissingDockerfile']);
    // Open again for the tests that follow.
    const reopened = client.nextDiagnostics(dockerfile, (p) => p.version === 1);
    await client.open(dockerfile, text('app/Dockerfile'));
    await reopened;
  });

  test('a build file that changes on disk is read again (workspace/didChangeWatchedFiles)', async () => {
    const file = path.join(root, 'compose.override.yaml');
    fs.writeFileSync(file, 'services:\n  base:\n    build:\n      context: app\n      target: base\n');
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(file).href, type: 1 }] });
    const uri = uriOf('app/Dockerfile');
    const lens = await waitForLens(client, uri, 0, /built by compose: base/);
    assert.match(lens, /built by compose: base/);
  });

  test('an empty target, as while one is typed: no warning, and completion offers the stages there', async () => {
    const uri = uriOf('compose.yaml');
    await client.change(uri, 2, [{ range: { start: pos(4, 14), end: pos(4, 21) }, text: '' }]);
    const published = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(codes(published.diagnostics), ['19:MissingDockerfile']);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(4, 14) });
    assert.deepEqual(list.items.map((i) => i.label), ['base', 'builder', 'test', 'release']);
  });

  test('a Compose file is no Dockerfile: Dockerfile requests on it answer nothing', async () => {
    const uri = uriOf('compose.yaml');
    assert.deepEqual(await client.request('textDocument/documentSymbol', { textDocument: { uri } }), []);
    assert.deepEqual(await client.request('textDocument/codeLens', { textDocument: { uri } }), []);
  });
});

/** Resolves stage `index`'s lens until its title matches (the index is read in the background). */
async function waitForLens(client: TestClient, uri: string, index: number, pattern: RegExp): Promise<string> {
  for (;;) {
    const next = client.nextDiagnostics(uri);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    const title = (await client.request<CodeLens>('codeLens/resolve', lenses[index])).command!.title;
    if (pattern.test(title)) return title;
    // The index's change republishes the open Dockerfile's diagnostics: look again then.
    await next;
  }
}
