/**
 * The server stays responsive and contained: a long analysis lets other requests through,
 * `$/cancelRequest` stops work nobody waits for, an edit makes an analysis in progress stale,
 * and an exception in a feature is answered with an empty result and logged once. Through the
 * bundled server over stdio; each test waits for the messages it expects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CancellationTokenSource, ResponseError } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';
import { FAMILIES } from '../support/pathological';

const REQUEST_CANCELLED = -32800;
const CONTENT_MODIFIED = -32801;

describe('a long analysis', () => {
  let client: TestClient;
  // About 120,000 lines: its analysis takes long enough to be caught in the middle.
  const huge = FAMILIES['n stages'](40_000);
  const hugeUri = 'file:///isolation/huge.Dockerfile';
  const smallUri = 'file:///isolation/small.Dockerfile';

  before(async () => {
    // Diagnostics off: only the requests below ask for an analysis.
    client = await TestClient.start({ settings: { enable: { diagnostics: false } }, trace: 'verbose' });
    await client.open(smallUri, 'FROM alpine AS build\nFROM alpine\nCOPY --from=build / /\n');
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('lets other documents be answered meanwhile, and stops when its only request is cancelled', async () => {
    await client.open(hugeUri, huge);
    const source = new CancellationTokenSource();
    let settled = false;
    const outline = client.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri: hugeUri } }, source.token);
    void outline.then(() => (settled = true), () => (settled = true));
    const definition = await client.request<unknown[]>('textDocument/definition', { textDocument: { uri: smallUri }, position: { line: 2, character: 13 } });
    assert.equal(definition.length, 1, 'the small document is answered');
    assert.equal(settled, false, 'while the huge one is still being analysed');
    source.cancel();
    await assert.rejects(outline, (e: ResponseError<unknown>) => e.code === REQUEST_CANCELLED);
    const stopped = await client.waitForTrace(/huge\.Dockerfile version 1 stopped: every request waiting for it was cancelled/);
    assert.ok(stopped);
    await client.close(hugeUri);
  });

  test('made stale by an edit: the request is told the content changed, and that analysis stops', async () => {
    const uri = 'file:///isolation/edited.Dockerfile';
    await client.open(uri, huge);
    const outline = client.request('textDocument/documentSymbol', { textDocument: { uri } });
    // Wait until the server has started on version 1 (it answers another document meanwhile).
    await client.request('textDocument/hover', { textDocument: { uri: smallUri }, position: { line: 0, character: 16 } });
    await client.change(uri, 2, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# edited\n' }]);
    const folding = client.request<unknown[]>('textDocument/foldingRange', { textDocument: { uri } });
    await assert.rejects(outline, (e: ResponseError<unknown>) => e.code === CONTENT_MODIFIED);
    await client.waitForTrace(/edited\.Dockerfile version 1 stopped: a newer version is analysed/);
    assert.ok((await folding).length >= 40_000, `version 2 is analysed to its end (${(await folding).length} folding ranges)`);
    await client.close(uri);
  });
});

describe('an exception inside a feature', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('is answered with an empty result and logged once, however often it happens', async () => {
    const uri = 'file:///isolation/Dockerfile';
    await client.open(uri, 'FROM alpine AS build\nFROM build\n');
    // A client that sends no position makes the feature fail inside.
    for (let i = 0; i < 5; i++) {
      assert.equal(await client.request('textDocument/hover', { textDocument: { uri }, position: null }), null);
      assert.deepEqual(await client.request('textDocument/definition', { textDocument: { uri }, position: null }), []);
    }
    const failures = client.logs.filter((l) => / failed on /.test(l));
    assert.deepEqual(failures.map((l) => l.split(' failed on ')[0]), ['hover', 'definition'], 'one line per kind of failure');
    assert.match(failures[0], /logged once/);
    // The server is still whole: a good request is answered.
    const links = await client.request<unknown[]>('textDocument/definition', { textDocument: { uri }, position: { line: 1, character: 6 } });
    assert.equal(links.length, 1);
  });
});
