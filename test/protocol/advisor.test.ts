/**
 * The multi-stage advisor over stdio against the bundled server: its hints as the editor gets
 * them (codes, severities, ranges), the split refactoring applied and the next version checked
 * (no error, the hint gone), the placeholder command only for a client that has it, the runtime
 * image setting, the reorder fix, the builder pattern read from the Dockerfile's folder on disk,
 * and the severity setting turning a hint off.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { CodeAction, Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../support/applyEdits';
import { TestClient } from '../support/lspClient';

const RUST = 'FROM rust:1\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\nEXPOSE 8080\nENTRYPOINT ["hello"]\n';

function codeActions(client: TestClient, uri: string, diagnostic: Diagnostic): Promise<CodeAction[]> {
  return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
}

describe('the advisor over the protocol', () => {
  let client: TestClient;
  let plain: TestClient;
  let dir: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dockerfile-stages-advisor-'));
    client = await TestClient.start({
      initializationOptions: { selectRangeCommand: true },
      settings: { advisor: { runtimeImages: { rust: 'gcr.io/distroless/cc-debian12:nonroot' } } },
    });
    plain = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
    assert.equal(await plain.stop(), 0);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the split refactoring: a hint on FROM, applied, the placeholder selected, the next version clean', async () => {
    const uri = 'file:///project/advisor/rust.Dockerfile';
    await client.open(uri, RUST);
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    const hint = diagnostics.find((d) => d.code === 'ToolchainInFinalStage');
    assert.ok(hint, `published: ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.equal(hint.severity, DiagnosticSeverity.Hint);
    assert.deepEqual(hint.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 11 } });
    assert.match(String(hint.message), /built FROM rust:1, a Rust toolchain image, and compiles in it \(line 4\)/);
    assert.equal(hint.source, 'dockerfile-stages');

    const actions = await codeActions(client, uri, hint);
    const split = actions.find((a) => a.title === 'Split into a build stage and a runtime stage');
    assert.ok(split, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(split.kind, 'quickfix');
    const next = applyEdits(RUST, split.edit!.changes![uri]).text;
    assert.equal(
      next,
      'FROM rust:1 AS build\nWORKDIR /app\nCOPY . .\nRUN cargo build --release\n\n' +
        'FROM gcr.io/distroless/cc-debian12:nonroot AS runtime\nWORKDIR /app\nCOPY --from=build /app/target/release/<binary> /app/target/release/\nEXPOSE 8080\nENTRYPOINT ["hello"]\n',
    );
    // Applied first, then the client's command selects what the fix could not infer.
    assert.equal(split.command?.command, 'dockerfileStages.selectRange');
    const [commandUri, range] = split.command!.arguments as [string, Diagnostic['range']];
    assert.equal(commandUri, uri);
    assert.deepEqual(range, { start: { line: 7, character: 38 }, end: { line: 7, character: 46 } });
    assert.equal(next.split('\n')[7].slice(38, 46), '<binary>');

    await client.change(uri, 2, [{ text: next }]);
    const after = (await client.diagnosticsFor(uri, 2)).diagnostics;
    assert.deepEqual(after.filter((d) => d.severity === DiagnosticSeverity.Error || d.code === 'ToolchainInFinalStage'), []);
  });

  test('a client without the select command gets the edit alone, with the default runtime image', async () => {
    const uri = 'file:///project/advisor/plain.Dockerfile';
    await plain.open(uri, RUST);
    const hint = (await plain.diagnosticsFor(uri, 1)).diagnostics.find((d) => d.code === 'ToolchainInFinalStage')!;
    const [split] = await codeActions(plain, uri, hint);
    assert.equal(split.command, undefined);
    assert.match(applyEdits(RUST, split.edit!.changes![uri]).text, /\nFROM gcr\.io\/distroless\/cc-debian12 AS runtime\n/);
  });

  test('copy the manifests first: the fix over the protocol, and the hint gone in the next version', async () => {
    const uri = 'file:///project/advisor/node.Dockerfile';
    const text = 'FROM node:20 AS build\r\nWORKDIR /app\r\nCOPY . .\r\nRUN npm ci && npm run build\r\n\r\nFROM nginx:alpine\r\nCOPY --from=build /app/dist /usr/share/nginx/html\r\n';
    await client.open(uri, text);
    const hint = (await client.diagnosticsFor(uri, 1)).diagnostics.find((d) => d.code === 'CopyAllBeforeInstall');
    assert.ok(hint);
    assert.equal(hint.severity, DiagnosticSeverity.Hint);
    assert.deepEqual(hint.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 8 } });
    assert.deepEqual(hint.relatedInformation?.map((r) => r.location.range.start.line), [3]);
    const [fix] = await codeActions(client, uri, hint);
    assert.equal(fix.title, 'Copy package*.json and install before copying everything');
    const next = applyEdits(text, fix.edit!.changes![uri]).text;
    assert.equal(next, 'FROM node:20 AS build\r\nWORKDIR /app\r\nCOPY package*.json ./\r\nRUN npm ci\r\nCOPY . .\r\nRUN npm run build\r\n\r\nFROM nginx:alpine\r\nCOPY --from=build /app/dist /usr/share/nginx/html\r\n');
    await client.change(uri, 2, [{ text: next }]);
    assert.deepEqual((await client.diagnosticsFor(uri, 2)).diagnostics.map((d) => d.code), []);
  });

  test('the builder pattern, read from the folder on disk, and turned off by the severity setting', async () => {
    const folder = path.join(dir, 'app');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'Dockerfile.build'), 'FROM golang:1.22\nWORKDIR /src\nCOPY . .\nRUN go build -o /out/app .\n');
    fs.writeFileSync(path.join(folder, 'build.sh'), '#!/bin/sh\ndocker build -t app-build -f Dockerfile.build .\nid=$(docker create app-build)\ndocker cp "$id":/out/app ./app\ndocker rm "$id"\ndocker build -t app .\n');
    const text = 'FROM alpine:3.20\nCOPY app /usr/local/bin/app\nCMD ["app"]\n';
    fs.writeFileSync(path.join(folder, 'Dockerfile'), text);
    const uri = pathToFileURL(path.join(folder, 'Dockerfile')).href;
    await client.open(uri, text);
    const [found] = (await client.diagnosticsFor(uri, 1)).diagnostics;
    assert.equal(found?.code, 'BuilderPattern');
    assert.equal(found.severity, DiagnosticSeverity.Information);
    assert.deepEqual(found.range, { start: { line: 0, character: 0 }, end: { line: 0, character: 16 } });
    assert.match(String(found.message), /^build\.sh builds Dockerfile\.build, copies its artifacts out with docker create and docker cp/);

    // The builder's own Dockerfile gets no such hint.
    const builderUri = pathToFileURL(path.join(folder, 'Dockerfile.build')).href;
    await client.open(builderUri, fs.readFileSync(path.join(folder, 'Dockerfile.build'), 'utf8'));
    assert.deepEqual((await client.diagnosticsFor(builderUri, 1)).diagnostics.map((d) => d.code), []);

    const next = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
    client.settings = { severity: { BuilderPattern: 'off' } };
    await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.deepEqual((await next).diagnostics, []);
  });
});
