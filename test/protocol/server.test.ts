/**
 * Protocol tests: the real bundled server (dist/server.js) over stdio, driven as an editor
 * drives it. Each test waits for the message it expects.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CodeLens,
  CompletionItem,
  CompletionList,
  Diagnostic,
  DocumentHighlight,
  DocumentSymbol,
  FoldingRange,
  Hover,
  Location,
  LocationLink,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';

const SAMPLE = [
  'FROM golang:1.22 AS build', //   0
  'RUN go build -o /out/app .', //  1
  'FROM build AS test', //          2
  'RUN go test ./...', //           3
  'FROM alpine:3.20 AS release', // 4
  'COPY --from=buld /out/app /a', // 5  typo: no stage "buld"
  'COPY --link --from=build /out/app /app', // 6
  '',
].join('\n');

const pos = (line: number, character: number) => ({ line, character });
const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line}:${d.code}`).sort();

describe('language server over stdio', () => {
  let client: TestClient;
  const uri = 'file:///project/sample/Dockerfile';

  before(async () => {
    client = await TestClient.start();
    await client.open(uri, SAMPLE);
  });
  after(async () => {
    assert.equal(await client.stop(), 0, 'the server exits with 0 after shutdown and exit');
  });

  test('initialize advertises every feature and names the server', () => {
    const { capabilities, serverInfo } = client.initializeResult;
    assert.equal(serverInfo?.name, 'dockerfile-stages');
    assert.deepEqual(capabilities.textDocumentSync, { openClose: true, change: 2 });
    assert.deepEqual(capabilities.renameProvider, { prepareProvider: true });
    for (const key of ['definitionProvider', 'referencesProvider', 'documentHighlightProvider', 'hoverProvider', 'foldingRangeProvider'] as const) {
      assert.equal(capabilities[key], true, key);
    }
    assert.deepEqual(capabilities.completionProvider?.triggerCharacters, ['=', ' ', '$', '{']);
  });

  test('diagnostics for the opened version: the typo and the stage the target never builds', async () => {
    const published = await client.diagnosticsFor(uri, 1);
    assert.deepEqual(codes(published.diagnostics), ['2:UnreachableStage', '5:UnknownStageReference']);
    const typo = published.diagnostics.find((d) => d.code === 'UnknownStageReference')!;
    assert.deepEqual(typo.range, { start: pos(5, 12), end: pos(5, 16) });
    assert.equal(typo.severity, 2);
    assert.match(typo.message as string, /Did you mean "build"\?/);
    assert.deepEqual(typo.relatedInformation?.map((r) => r.location.range.start), [pos(0, 20)]);
    const unreachable = published.diagnostics.find((d) => d.code === 'UnreachableStage')!;
    assert.equal(unreachable.severity, 4);
    assert.deepEqual(unreachable.tags, [1], 'faded as unnecessary');
  });

  test('an incremental edit republishes for the new version', async () => {
    await client.change(uri, 2, [{ range: { start: pos(5, 12), end: pos(5, 16) }, text: 'build' }]);
    const published = await client.diagnosticsFor(uri, 2);
    assert.deepEqual(codes(published.diagnostics), ['2:UnreachableStage']);
  });

  test('definition from --from lands on the AS name, as a LocationLink', async () => {
    const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri }, position: pos(6, 21) });
    assert.equal(links.length, 1);
    assert.equal(links[0].targetUri, uri);
    assert.deepEqual(links[0].targetSelectionRange, { start: pos(0, 20), end: pos(0, 25) });
    assert.deepEqual(links[0].originSelectionRange, { start: pos(6, 19), end: pos(6, 24) });
  });

  test('references and highlights list the declaration and every use', async () => {
    const refs = await client.request<Location[]>('textDocument/references', { textDocument: { uri }, position: pos(0, 22), context: { includeDeclaration: true } });
    assert.deepEqual(refs.map((r) => r.range.start), [pos(0, 20), pos(2, 5), pos(5, 12), pos(6, 19)]);
    const highlights = await client.request<DocumentHighlight[]>('textDocument/documentHighlight', { textDocument: { uri }, position: pos(2, 6) });
    assert.deepEqual(highlights.map((h) => [h.range.start.line, h.kind]), [[0, 3], [2, 2], [5, 2], [6, 2]]);
  });

  test('rename changes the declaration and every use, and refuses an image', async () => {
    const prepared = await client.request<{ range: unknown; placeholder: string }>('textDocument/prepareRename', { textDocument: { uri }, position: pos(5, 13) });
    assert.equal(prepared.placeholder, 'build');
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri }, position: pos(5, 13), newName: 'builder' });
    const edits = edit.changes![uri];
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.range.start.character, e.newText]), [
      [0, 20, 'builder'], [2, 5, 'builder'], [5, 12, 'builder'], [6, 19, 'builder'],
    ]);
    await assert.rejects(
      client.request('textDocument/prepareRename', { textDocument: { uri }, position: pos(4, 7) }),
      (e: Error) => /image/i.test(e.message),
    );
  });

  test('completion after --from= offers the earlier stages only, with one shared edit range and lazy documentation', async () => {
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri }, position: pos(6, 19) });
    assert.deepEqual(list.items.map((i) => i.label).sort(), ['build', 'test']);
    assert.deepEqual(list.itemDefaults?.editRange, { start: pos(6, 19), end: pos(6, 24) }, 'replaces the name under the cursor');
    assert.ok(list.items.every((i) => i.textEdit === undefined && i.documentation === undefined));
    const resolved = await client.request<CompletionItem>('completionItem/resolve', list.items.find((i) => i.label === 'build'));
    assert.match((resolved.documentation as { value: string }).value, /Stage 0 `build`, defined on line 1/);
  });

  test('a client that resolves details (as VS Code does) gets them on resolve, for a name and for an index', async () => {
    const lazy = await TestClient.start({
      capabilities: {
        textDocument: {
          completion: {
            completionItem: { resolveSupport: { properties: ['documentation', 'detail'] } },
            completionList: { itemDefaults: ['editRange'] },
          },
        },
      },
    });
    try {
      const other = 'file:///project/sample/lazy.Dockerfile';
      await lazy.open(other, 'FROM alpine AS base\nFROM golang\nFROM base\nCOPY --from= /a /b\n');
      const list = await lazy.request<CompletionList>('textDocument/completion', { textDocument: { uri: other }, position: pos(3, 12) });
      assert.deepEqual(list.items.map((i) => i.label), ['base', '1']);
      assert.ok(list.items.every((i) => i.detail === undefined && i.documentation === undefined), 'the list carries neither');
      const [byName, byIndex] = await Promise.all(list.items.map((i) => lazy.request<CompletionItem>('completionItem/resolve', i)));
      assert.equal(byName.detail, 'FROM alpine');
      assert.equal(byIndex.detail, 'unnamed stage · FROM golang');
      assert.match((byIndex.documentation as { value: string }).value, /Stage 1 \(unnamed\)/);
    } finally {
      await lazy.stop();
    }
  });

  test('a client without itemDefaults gets a text edit and documentation on every item', async () => {
    const plain = await TestClient.start({ capabilities: { textDocument: { completion: {} } } });
    try {
      const other = 'file:///project/sample/plain.Dockerfile';
      await plain.open(other, 'FROM alpine AS base\nFROM base\nCOPY --from=ba /a /b\n');
      const list = await plain.request<CompletionList>('textDocument/completion', { textDocument: { uri: other }, position: pos(2, 14) });
      assert.deepEqual(list.items.map((i) => [i.label, i.textEdit]), [['base', { range: { start: pos(2, 12), end: pos(2, 14) }, newText: 'base' }]]);
      assert.match((list.items[0].documentation as { value: string }).value, /Stage 0/);
    } finally {
      await plain.stop();
    }
  });

  test('hover, symbols and folding answer for the current version', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: pos(2, 6) });
    assert.match((hover.contents as { value: string }).value, /build/);
    const symbols = await client.request<DocumentSymbol[]>('textDocument/documentSymbol', { textDocument: { uri } });
    assert.deepEqual(symbols.map((s) => s.name), ['build', 'test', 'release']);
    assert.deepEqual(symbols[2].children?.map((c) => c.range.start.line), [5, 6], "the FROM line is the stage symbol itself");
    const folds = await client.request<FoldingRange[]>('textDocument/foldingRange', { textDocument: { uri } });
    assert.deepEqual(folds.map((f) => [f.startLine, f.endLine]).sort((a, b) => a[0] - b[0]), [[0, 1], [2, 3], [4, 6]]);
  });

  test('CodeLens: one over each FROM, titled on resolve, opening the stage actions', async () => {
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(lenses.map((l) => l.range.start.line), [0, 2, 4]);
    assert.ok(lenses.every((l) => l.command === undefined), 'titles come on resolve');
    const resolved = await Promise.all(lenses.map((l) => client.request<CodeLens>('codeLens/resolve', l)));
    assert.deepEqual(resolved.map((r) => r.command?.title), [
      'used by 2: test, release',
      'not built by default · from ⬑ build',
      'target',
    ]);
    assert.ok(resolved.every((r) => r.command?.command === 'dockerfileStages.stageActions'));
    const [lensUri, actions, heading] = resolved[2].command!.arguments as [string, { title: string; command: string; arguments: unknown[] }[], string];
    assert.equal(lensUri, uri);
    assert.equal(heading, 'Actions for stage "release", line 5');
    assert.deepEqual(actions, [{ title: '▶ Build this stage (--target release)', command: 'dockerfileStages.buildStage', arguments: [uri, 'release'] }]);
  });

  test('the stage graph request lists stages and edges for the graph view and Go to Stage', async () => {
    const graph = await client.request<{ stages: { label: string; line: number; target: boolean }[]; edges: { from: number; to: number; kind: string }[] }>(
      'dockerfileStages/stageGraph', { textDocument: { uri } });
    assert.deepEqual(graph.stages.map((s) => [s.label, s.line, s.target]), [['build', 0, false], ['test', 2, false], ['release', 4, true]]);
    assert.deepEqual(graph.edges.map((e) => [e.from, e.to, e.kind]), [[1, 0, 'base'], [2, 0, 'copy']]);
  });

  test('semantic tokens mark stage names and stage references, not images', async () => {
    const legend = client.initializeResult.capabilities.semanticTokensProvider?.legend;
    assert.deepEqual(legend, { tokenTypes: ['class'], tokenModifiers: ['declaration'] });
    const { data } = await client.request<{ data: number[] }>('textDocument/semanticTokens/full', { textDocument: { uri } });
    // [deltaLine, deltaStart, length, type, modifiers]: build (decl), FROM build, test (decl), release (decl), --from=build ×2
    assert.deepEqual(data, [0, 20, 5, 0, 1, 2, 5, 5, 0, 0, 0, 9, 4, 0, 1, 2, 20, 7, 0, 1, 1, 12, 5, 0, 0, 1, 19, 5, 0, 0]);
  });

  test('a document opened again at the same version with other text is analysed afresh', async () => {
    const again = 'file:///project/sample/reopened.Dockerfile';
    await client.open(again, 'FROM alpine\nCOPY --from=nope /a /b\n');
    const first = await client.diagnosticsFor(again, 1);
    assert.deepEqual(codes(first.diagnostics), ['1:UnknownStageReference']);
    const next = client.nextDiagnostics(again, (p) => p.version === 1);
    await client.open(again, 'FROM alpine AS nope\nFROM alpine\nCOPY --from=nope /a /b\n');
    assert.deepEqual(codes((await next).diagnostics), [], 'the second text has the stage');
    const links = await client.request<LocationLink[]>('textDocument/definition', { textDocument: { uri: again }, position: pos(2, 13) });
    assert.deepEqual(links.map((l) => l.targetSelectionRange), [{ start: pos(0, 15), end: pos(0, 19) }]);
  });

  test('a closed document gets its diagnostics cleared', async () => {
    const other = 'file:///project/sample/closing.Dockerfile';
    await client.open(other, 'FROM alpine\nCOPY --from=nope /a /b\n');
    await client.diagnosticsFor(other, 1);
    await client.close(other);
    const cleared = await client.waitForDiagnostics(other, (p) => p.version === undefined && p.diagnostics.length === 0);
    assert.deepEqual(cleared.diagnostics, []);
  });
});

describe('settings', () => {
  test('a severity override and a disabled group apply without a restart', async () => {
    const client = await TestClient.start({ settings: { severity: { UnknownStageReference: 'error' } } });
    try {
      const uri = 'file:///project/settings/Dockerfile';
      await client.open(uri, 'FROM alpine AS base\nFROM base\nCOPY --from=bse /a /b\n');
      const first = await client.diagnosticsFor(uri, 1);
      assert.deepEqual(first.diagnostics.map((d) => [d.code, d.severity]), [['UnknownStageReference', 1]], 'the override applies from the first publish');
      client.settings = { severity: { UnknownStageReference: 'off' } };
      const cleared = client.nextDiagnostics(uri, (p) => p.diagnostics.length === 0);
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await cleared;
      client.settings = { enable: { hover: false } };
      const back = client.nextDiagnostics(uri, (p) => p.diagnostics.some((d) => d.code === 'UnknownStageReference' && d.severity === 2));
      await client.connection.sendNotification('workspace/didChangeConfiguration', { settings: null });
      await back;
      const hover = await client.request<Hover | null>('textDocument/hover', { textDocument: { uri }, position: pos(1, 6) });
      assert.equal(hover, null);
    } finally {
      await client.stop();
    }
  });
});

describe('a typing burst', () => {
  test('the first change after an open is analysed at once; only a change right after another change waits (the trace says so)', async () => {
    const client = await TestClient.start({ trace: 'verbose' });
    try {
      const uri = 'file:///project/burst/first-change.Dockerfile';
      // Big enough that an analysis takes a millisecond or more: a wait, were there one, is not rounded to none.
      const lines = ['FROM alpine AS base'];
      for (let i = 0; i < 200; i++) lines.push(`FROM base AS s${i}`, `COPY --from=base /a /b${i}`);
      // The same text opened twice before, so that the analysis is warm and the change below
      // comes well within 50 ms of the open (a first, cold analysis can take longer than that).
      for (const warm of ['a', 'b']) {
        await client.open(`${uri}.${warm}`, lines.join('\n') + '\n');
        await client.diagnosticsFor(`${uri}.${warm}`, 1);
      }
      await client.open(uri, lines.join('\n') + '\n');
      await client.diagnosticsFor(uri, 1);
      await client.change(uri, 2, [{ range: { start: pos(0, 19), end: pos(0, 19) }, text: 'x' }]);
      await client.diagnosticsFor(uri, 2);
      assert.deepEqual(client.traces.filter((t) => t.includes(`${uri} `)), [], 'no wait after the open');
      // Two changes in a row, the second sent at once: it waits, and the trace names it.
      void client.change(uri, 3, [{ range: { start: pos(0, 20), end: pos(0, 20) }, text: 'y' }]);
      void client.change(uri, 4, [{ range: { start: pos(0, 21), end: pos(0, 21) }, text: 'z' }]);
      await client.diagnosticsFor(uri, 4);
      assert.match(await client.waitForTrace(/first-change\.Dockerfile /), /^diagnostics of file:\/\/\/project\/burst\/first-change\.Dockerfile wait \d+ ms: a change \d+ ms after the one before$/);
    } finally {
      await client.stop();
    }
  });

  test('twenty quick edits end with the last version published and no stale version after a newer one', async () => {
    const client = await TestClient.start();
    try {
      const uri = 'file:///project/burst/Dockerfile';
      const lines = ['FROM alpine AS base'];
      for (let i = 0; i < 200; i++) lines.push(`FROM base AS s${i}`, `RUN echo ${i}`);
      await client.open(uri, lines.join('\n') + '\n');
      for (let v = 2; v <= 21; v++) {
        void client.change(uri, v, [{ range: { start: pos(0, 19), end: pos(0, 19) }, text: v % 2 === 0 ? 'x' : '' }]);
      }
      await client.diagnosticsFor(uri, 21);
      const versions = client.diagnostics.get(uri)!.map((p) => p.version!);
      assert.deepEqual(versions, [...versions].sort((a, b) => a - b), `published versions never go back: ${versions.join(',')}`);
    } finally {
      await client.stop();
    }
  });
});

describe('bad input never breaks the server', () => {
  const inputs: [string, string][] = [
    ['binary bytes', '\u0000\u0001\u0002\uFFFD\u007F'.repeat(2000)],
    ['a 1 MB line', 'FROM alpine\nRUN echo ' + 'x'.repeat(1_000_000) + '\n'],
    ['an unterminated heredoc', 'FROM alpine AS a\nRUN <<EOF\nFROM b\necho\n'],
    ['a BOM and CRLF', '\uFEFFFROM alpine AS a\r\nFROM a\r\nCOPY --from=a /x /y\r\n'],
    ['half-typed instructions', 'FROM\nCOPY --from=\nRUN --mount=from=\nFROM a AS\nARG\n'],
    ['a backtick escape directive', '# escape=`\nFROM alpine AS a\nRUN echo `\n  hi\nFROM a\n'],
    ['an empty file', ''],
    ['one FROM continued over 20,000 lines', 'FROM a \\\n'.repeat(20_000) + 'AS b\n'],
    ['an unterminated heredoc above 1000 stages', 'FROM alpine\nRUN <<EOF\n' + 'FROM alpine AS s\nCOPY --from=s / /\n'.repeat(1000)],
  ];
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });
  for (const [name, text] of inputs) {
    test(`${name}: every request is answered`, async () => {
      const uri = `file:///project/bad/${encodeURIComponent(name)}.Dockerfile`;
      const opened = performance.now();
      await client.open(uri, text);
      await client.diagnosticsFor(uri, 1);
      const took = performance.now() - opened;
      assert.ok(took < 1000, `diagnostics after ${took.toFixed(0)} ms`);
      const doc = { textDocument: { uri } };
      const at = { ...doc, position: pos(1, 3) };
      const answers = await Promise.all([
        client.request('textDocument/definition', at),
        client.request('textDocument/references', { ...at, context: { includeDeclaration: true } }),
        client.request('textDocument/documentHighlight', at),
        client.request('textDocument/hover', at),
        client.request('textDocument/completion', at),
        client.request('textDocument/documentSymbol', doc),
        client.request('textDocument/foldingRange', doc),
        client.request('textDocument/prepareRename', at).catch((e: Error) => e.message),
      ]);
      assert.equal(answers.length, 8);
      assert.equal(client.process.exitCode, null, 'the server is still running');
    });
  }
});
