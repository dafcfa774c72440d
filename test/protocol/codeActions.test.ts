/**
 * Code actions over stdio against the bundled server: quick fixes for its diagnostics, the
 * "Name this stage" refactoring, source.fixAll, and the dockerfileStages/nameStage request.
 * Each returned edit is applied here, as the editor would, and sent back as the next version.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CodeAction, Diagnostic, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { applyEdits } from '../support/applyEdits';
import { TestClient } from '../support/lspClient';

const pos = (line: number, character: number) => ({ line, character });

/** The document's text after a WorkspaceEdit's `changes` for it. */
function applied(text: string, edit: WorkspaceEdit | null | undefined, uri: string): string {
  assert.ok(edit?.changes?.[uri], `the edit changes ${uri}`);
  assert.deepEqual(Object.keys(edit.changes), [uri], 'the edit touches this document only');
  return applyEdits(text, edit.changes[uri]).text;
}

describe('code actions', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  /** Opens a document and returns its first published diagnostics. */
  async function open(uri: string, text: string): Promise<Diagnostic[]> {
    await client.open(uri, text);
    return (await client.diagnosticsFor(uri, 1)).diagnostics;
  }

  /** Sends the new text as `version` and returns the diagnostics published for it. */
  async function update(uri: string, version: number, text: string): Promise<Diagnostic[]> {
    await client.change(uri, version, [{ text }]);
    return (await client.diagnosticsFor(uri, version)).diagnostics;
  }

  function codeActions(uri: string, range: Diagnostic['range'], diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
    return client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
  }

  test('initialize advertises quick fixes, the rewrite and fix-all', () => {
    assert.deepEqual(client.initializeResult.capabilities.codeActionProvider, {
      codeActionKinds: ['quickfix', 'refactor.rewrite', 'source.fixAll.dockerfileStages'],
    });
  });

  test('a quick fix for a diagnostic: applied, the next version no longer has that diagnostic', async () => {
    const uri = 'file:///project/actions/typo.Dockerfile';
    const text = 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=buld /out/app /app\n';
    const diagnostics = await open(uri, text);
    const typo = diagnostics.find((d) => d.code === 'UnknownStageReference');
    assert.ok(typo, 'the typo is reported');
    const actions = await codeActions(uri, typo.range, [typo]);
    const fix = actions.find((a) => a.title === "Change to 'build'");
    assert.ok(fix, `offered: ${actions.map((a) => a.title).join(' | ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true);
    assert.deepEqual(fix.diagnostics, [typo]);
    const next = applied(text, fix.edit, uri);
    assert.equal(next, 'FROM golang:1.22 AS build\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=build /out/app /app\n');
    const after = await update(uri, 2, next);
    assert.deepEqual(after.filter((d) => d.code === 'UnknownStageReference'), []);
  });

  test('UndefinedVar: declaring the ARG in the stage, in a CRLF document', async () => {
    const uri = 'file:///project/actions/undefined.Dockerfile';
    const text = 'ARG VERSION=1.0\r\nFROM alpine\r\nLABEL v=$VERSION\r\n';
    const diagnostics = await open(uri, text);
    const undefinedVar = diagnostics.find((d) => d.code === 'UndefinedVar');
    assert.ok(undefinedVar, `reported: ${diagnostics.map((d) => d.code).join(', ')}`);
    assert.deepEqual(undefinedVar.range, { start: pos(2, 9), end: pos(2, 16) });
    assert.equal(undefinedVar.codeDescription?.href, 'https://docs.docker.com/go/dockerfile/rule/undefined-var/');
    assert.deepEqual(undefinedVar.relatedInformation?.map((r) => r.location.range.start), [pos(0, 4)]);
    const [fix] = await codeActions(uri, undefinedVar.range, [undefinedVar], ['quickfix']);
    assert.equal(fix?.title, 'Declare ARG VERSION in this stage');
    const next = applied(text, fix.edit, uri);
    assert.equal(next, 'ARG VERSION=1.0\r\nFROM alpine\r\nARG VERSION\r\nLABEL v=$VERSION\r\n');
    const after = await update(uri, 2, next);
    assert.deepEqual(after.map((d) => d.code), []);
  });

  test('diagnostics of other servers and stale ones get no fix', async () => {
    const uri = 'file:///project/actions/other.Dockerfile';
    const diagnostics = await open(uri, 'FROM golang AS build\nFROM alpine\nCOPY --from=buld /a /b\n');
    const typo = diagnostics.find((d) => d.code === 'UnknownStageReference')!;
    const foreign = { ...typo, source: 'hadolint' };
    const moved = { ...typo, range: { start: pos(2, 0), end: pos(2, 4) } };
    assert.deepEqual(await codeActions(uri, typo.range, [foreign, moved]), []);
  });

  test('"Name this stage" on an unnamed stage\'s FROM line, as a refactoring only', async () => {
    const uri = 'file:///project/actions/unnamed.Dockerfile';
    const text = 'FROM golang:1.22\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=0 /out/app /app\n';
    await open(uri, text);
    const onFrom = { start: pos(0, 3), end: pos(0, 3) };
    const [rewrite, ...rest] = await codeActions(uri, onFrom, []);
    assert.deepEqual(rest, []);
    assert.equal(rewrite.title, "Name this stage 'golang-build'");
    assert.equal(rewrite.kind, 'refactor.rewrite');
    assert.equal(rewrite.diagnostics, undefined);
    assert.equal(applied(text, rewrite.edit, uri), 'FROM golang:1.22 AS golang-build\nRUN go build -o /out/app .\nFROM alpine\nCOPY --from=golang-build /out/app /app\n');
    assert.equal((await codeActions(uri, onFrom, [], ['refactor'])).length, 1, 'asked for refactorings');
    assert.deepEqual(await codeActions(uri, onFrom, [], ['quickfix']), [], 'asked for quick fixes only');
    assert.deepEqual(await codeActions(uri, { start: pos(1, 2), end: pos(1, 2) }, []), [], 'not off the FROM line');
  });

  test('source.fixAll: one action with every safe fix, only when asked for', async () => {
    const uri = 'file:///project/actions/fixall.Dockerfile';
    const text = [
      'FROM golang as Build',
      'FROM node AS web',
      'FROM alpine',
      'COPY --from=0 /a /a',
      'COPY --from=BUILD /b /b',
      'COPY --from=buld /c /c',
      'RUN echo done',
      '',
    ].join('\n');
    const diagnostics = await open(uri, text);
    const range = { start: pos(0, 0), end: pos(0, 0) };
    for (const only of [['source.fixAll'], ['source.fixAll.dockerfileStages'], ['source']]) {
      const actions = await codeActions(uri, range, [], only);
      assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all Dockerfile stage problems that are safe to fix', 'source.fixAll.dockerfileStages']], String(only));
    }
    assert.ok((await codeActions(uri, range, diagnostics)).every((a) => a.kind !== 'source.fixAll.dockerfileStages'), 'not in the light bulb');
    const [fixAll] = await codeActions(uri, range, [], ['source.fixAll']);
    const next = applied(text, fixAll.edit, uri);
    assert.equal(next, [
      'FROM golang AS build',
      'FROM node AS web',
      'FROM alpine',
      'COPY --from=build /a /a',
      'COPY --from=build /b /b',
      'COPY --from=buld /c /c',
      'RUN echo done',
      '',
    ].join('\n'));
    const after = await update(uri, 2, next);
    assert.deepEqual(after.map((d) => d.code).sort(), ['UnknownStageReference', 'UnreachableStage']);
  });

  test('the nameStage request returns the refactoring\'s edit; null for a named stage', async () => {
    const uri = 'file:///project/actions/lens.Dockerfile';
    const text = 'FROM alpine AS base\nFROM node:20-alpine\nRUN npm ci\nFROM base\nCOPY --from=1 /app /app\n';
    await open(uri, text);
    const edit = await client.request<WorkspaceEdit | null>('dockerfileStages/nameStage', { textDocument: { uri }, stage: 1 });
    assert.equal(applied(text, edit, uri), 'FROM alpine AS base\nFROM node:20-alpine AS node-build\nRUN npm ci\nFROM base\nCOPY --from=node-build /app /app\n');
    assert.equal(await client.request('dockerfileStages/nameStage', { textDocument: { uri }, stage: 0 }), null);
    assert.equal(await client.request('dockerfileStages/nameStage', { textDocument: { uri }, stage: 9 }), null);
    assert.equal(await client.request('dockerfileStages/nameStage', { textDocument: { uri: 'file:///project/actions/not-open' }, stage: 0 }), null);
  });
});

describe('code actions turned off', () => {
  test('enable.codeActions=false answers nothing', async () => {
    const client = await TestClient.start({ settings: { enable: { codeActions: false } } });
    try {
      const uri = 'file:///project/actions-off/Dockerfile';
      await client.open(uri, 'FROM golang AS build\nFROM alpine\nCOPY --from=buld /a /b\n');
      const { diagnostics } = await client.diagnosticsFor(uri, 1);
      assert.ok(diagnostics.some((d) => d.code === 'UnknownStageReference'), 'diagnostics still come');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: diagnostics[0].range, context: { diagnostics } });
      assert.deepEqual(actions, []);
    } finally {
      await client.stop();
    }
  });
});
