/**
 * Variables over stdio, as Neovim, Helix or Emacs meet them: the bundled server answers
 * definition, references, rename, hover and completion on `$NAME` with BuildKit's scope, and
 * reports UndefinedVar in a stage built on scratch.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionList, Hover, Location, LocationLink, WorkspaceEdit } from 'vscode-languageserver-protocol/node';
import { TestClient } from '../support/lspClient';

const URI = 'file:///project/variables/Dockerfile';
const TEXT = [
  'ARG GO_VERSION=1.22', //                       0
  'FROM golang:${GO_VERSION} AS build', //        1
  'ARG GO_VERSION', //                            2
  'ENV OUT=/out/$GO_VERSION', //                  3
  'RUN go build -o $OUT/app .', //                4
  'FROM scratch', //                              5
  'COPY --from=build /out/app /app/$MISSING', //  6
  'CMD ["/app"]', //                              7
  '',
].join('\n');
const pos = (line: number, character: number) => ({ line, character });

describe('variables over stdio', () => {
  let client: TestClient;
  before(async () => {
    client = await TestClient.start();
    await client.open(URI, TEXT);
  });
  after(async () => {
    assert.equal(await client.stop(), 0);
  });

  test('definition: from $OUT in a RUN to the ENV that sets it', async () => {
    const found = await client.request<(Location | LocationLink)[]>('textDocument/definition', { textDocument: { uri: URI }, position: pos(4, 18) });
    const target = found.map((l) => ('targetUri' in l ? l.targetSelectionRange : l.range));
    assert.deepEqual(target, [{ start: pos(3, 4), end: pos(3, 7) }]);
  });

  test('references of the global ARG: the FROM line, the bare ARG and the ENV value it feeds', async () => {
    const found = await client.request<Location[]>('textDocument/references', { textDocument: { uri: URI }, position: pos(0, 6), context: { includeDeclaration: true } });
    assert.deepEqual(found.map((l) => `${l.range.start.line}:${l.range.start.character}`), ['0:4', '1:14', '2:4', '3:14']);
  });

  test('rename of the global ARG changes its declarations and uses, nothing else', async () => {
    const edit = await client.request<WorkspaceEdit>('textDocument/rename', { textDocument: { uri: URI }, position: pos(3, 16), newName: 'GO' });
    const edits = edit.changes![URI];
    assert.deepEqual(edits.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character}=${e.newText}`), ['0:4-14=GO', '1:14-24=GO', '2:4-14=GO', '3:14-24=GO']);
  });

  test('hover: where the value comes from, the value, and the word expanded', async () => {
    const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri: URI }, position: pos(4, 18) });
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /`OUT`: ENV in stage `build`, line 4\./);
    assert.match(text, /Value: `\/out\/1\.22`/);
    assert.match(text, /Here `\$OUT\/app` is `\/out\/1\.22\/app`\./);
  });

  test('completion after ${ offers the names visible there, as variables', async () => {
    await client.change(URI, 2, [{ range: { start: pos(4, 26), end: pos(4, 26) }, text: ' ${' }]);
    const list = await client.request<CompletionList>('textDocument/completion', { textDocument: { uri: URI }, position: pos(4, 29), context: { triggerKind: 2, triggerCharacter: '{' } });
    assert.deepEqual(list.items.map((i) => [i.label, i.kind]), [['GO_VERSION', 6], ['OUT', 6]]);
  });

  test('UndefinedVar where nothing can set the name: a stage built FROM scratch', async () => {
    const published = await client.diagnosticsFor(URI, 2);
    const undefinedVars = published.diagnostics.filter((d) => d.code === 'UndefinedVar');
    assert.deepEqual(undefinedVars.map((d) => [d.range.start.line, d.range.start.character, String(d.message).split(':')[0]]), [[6, 33, "Usage of undefined variable '$MISSING'"]]);
  });
});
