/**
 * BuildKit's checks through the bundled server over stdio: the build context's ignore file read
 * beside the Dockerfile (CopyIgnoredFile), the link of each check to its reference page, and the
 * `buildkitChecks` setting next to Docker's extension.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';

const DOCKERFILE = ['FROM alpine', 'COPY tmp/a.txt ./ /srv/', 'CMD serve', 'COPY --from=biuld / /', ''].join('\n');
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.code}`).sort();
const has = (code: string) => (p: PublishDiagnosticsParams) => p.diagnostics.some((d) => d.code === code);
const lacks = (code: string) => (p: PublishDiagnosticsParams) => !has(code)(p);

describe('the build context ignore file, read beside the Dockerfile', () => {
  let dir: string;
  let client: TestClient;
  let uri: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-ignore-'));
    const file = path.join(dir, 'Dockerfile');
    fs.writeFileSync(file, DOCKERFILE);
    fs.writeFileSync(path.join(dir, '.dockerignore'), '# nothing of tmp goes in\ntmp\n');
    uri = pathToFileURL(file).href;
    client = await TestClient.start();
    await client.open(uri, DOCKERFILE);
  });
  after(async () => {
    await client.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a COPY of an ignored file is CopyIgnoredFile, with the link to its page', async () => {
    const published = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(codes(published.diagnostics), ['1:CopyIgnoredFile', '2:JSONArgsRecommended', '3:UnknownStageReference']);
    const ignored = published.diagnostics.find((d) => d.code === 'CopyIgnoredFile')!;
    assert.deepEqual(ignored.range, { start: { line: 1, character: 5 }, end: { line: 1, character: 14 } });
    assert.match(ignored.message as string, /^Attempting to Copy file "tmp\/a\.txt" that is excluded by \.dockerignore/);
    assert.deepEqual(ignored.codeDescription, { href: 'https://docs.docker.com/go/dockerfile/rule/copy-ignored-file/' });
    const json = published.diagnostics.find((d) => d.code === 'JSONArgsRecommended')!;
    assert.deepEqual(json.codeDescription, { href: 'https://docs.docker.com/go/dockerfile/rule/json-args-recommended/' });
    // The project's own checks have no BuildKit page.
    assert.equal(published.diagnostics.find((d) => d.code === 'UnknownStageReference')!.codeDescription, undefined);
  });

  test('<Dockerfile>.dockerignore beside it wins over .dockerignore, once the watcher says it changed', async () => {
    const specific = path.join(dir, 'Dockerfile.dockerignore');
    fs.writeFileSync(specific, 'other\n');
    const next = client.nextDiagnostics(uri, lacks('CopyIgnoredFile'));
    await client.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: pathToFileURL(specific).href, type: 1 }] });
    assert.deepEqual(codes((await next).diagnostics), ['2:JSONArgsRecommended', '3:UnknownStageReference']);
  });

  test('an edit of the ignore file counts at the next publication', async () => {
    fs.writeFileSync(path.join(dir, 'Dockerfile.dockerignore'), 'tmp/*.txt\nother\n');
    const next = client.nextDiagnostics(uri, has('CopyIgnoredFile'));
    await client.change(uri, 2, [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '\n' }]);
    const published = await next;
    assert.equal(published.version, 2);
    assert.match(published.diagnostics.find((d) => d.code === 'CopyIgnoredFile')!.message as string, /\(Dockerfile\.dockerignore\): the pattern "tmp\/\*\.txt"/);
  });

  test('a document that is no file has no build context: no CopyIgnoredFile', async () => {
    const untitled = 'untitled:Untitled-1';
    await client.open(untitled, DOCKERFILE);
    const published = await client.diagnosticsFor(untitled, 1);
    assert.deepEqual(codes(published.diagnostics), ['2:JSONArgsRecommended', '3:UnknownStageReference']);
  });
});

describe('the buildkitChecks setting, next to Docker\'s extension', () => {
  test("auto leaves BuildKit's checks to Docker's extension when the client says it runs; on and off decide alone", async () => {
    const client = await TestClient.start({ initializationOptions: { dockerExtension: true }, settings: {} });
    try {
      const uri = 'file:///srv/app/Dockerfile';
      await client.open(uri, DOCKERFILE);
      assert.deepEqual(codes((await client.diagnosticsFor(uri, 1)).diagnostics), ['3:UnknownStageReference'], 'only the own checks');

      let next = client.nextDiagnostics(uri, has('JSONArgsRecommended'));
      client.settings = { buildkitChecks: 'on' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(codes((await next).diagnostics), ['2:JSONArgsRecommended', '3:UnknownStageReference']);

      next = client.nextDiagnostics(uri, lacks('JSONArgsRecommended'));
      client.settings = { buildkitChecks: 'auto' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(codes((await next).diagnostics), ['3:UnknownStageReference']);

      // Docker's extension disabled or uninstalled: the client says so, and the checks come back.
      next = client.nextDiagnostics(uri, has('JSONArgsRecommended'));
      await client.connection.sendNotification('dockerfileStages/dockerExtension', { present: false });
      assert.deepEqual(codes((await next).diagnostics), ['2:JSONArgsRecommended', '3:UnknownStageReference']);

      next = client.nextDiagnostics(uri, lacks('JSONArgsRecommended'));
      client.settings = { buildkitChecks: 'off' };
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      assert.deepEqual(codes((await next).diagnostics), ['3:UnknownStageReference']);
    } finally {
      await client.stop();
    }
  });
});
