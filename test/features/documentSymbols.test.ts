/**
 * Outline cases (test/fixtures/symbols/*.cases): `--- outline` is the expected tree, children
 * indented by two spaces. A line is `stage NAME (DETAIL)` for a named stage, `stage N (DETAIL)`
 * for an unnamed one, `arg NAME (DETAIL)` for a global ARG and the symbol's name for an
 * instruction (` (DETAIL)` only when the detail is not empty). Every case runs twice, with
 * `\n` and with `\r\n` line endings, and checks the ranges LSP requires.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { PieceCache } from '../../server/src/analysis/documentParser';
import { MAX_OUTLINE_INSTRUCTIONS, StageSymbol, documentSymbols } from '../../server/src/features/documentSymbols';
import { formatRange, loadSuite } from '../support/fixtures';
import { isOrdered, rangeInside, sectionLines, toCrlf } from './featureCases';

function label(s: StageSymbol): string {
  let head: string;
  if (s.kind === 'stage') head = /^stage \d+$/.test(s.name) ? s.name : `stage ${s.name}`;
  else if (s.kind === 'arg') head = `arg ${s.name}`;
  else head = s.name;
  return s.detail ? `${head} (${s.detail})` : head;
}

function render(symbols: StageSymbol[], depth = 0): string[] {
  return symbols.flatMap((s) => ['  '.repeat(depth) + label(s), ...render(s.children, depth + 1)]);
}

function checkRanges(symbols: StageSymbol[], parent: StageSymbol | undefined): void {
  for (const s of symbols) {
    const where = `${label(s)} ${formatRange(s.range)}`;
    assert.ok(isOrdered(s.range), `${where}: range start after end`);
    assert.ok(isOrdered(s.selectionRange), `${where}: selectionRange start after end`);
    assert.ok(rangeInside(s.selectionRange, s.range), `${where}: selectionRange ${formatRange(s.selectionRange)} outside range`);
    if (parent) assert.ok(rangeInside(s.range, parent.range), `${where}: outside its parent ${formatRange(parent.range)}`);
    checkRanges(s.children, s);
  }
}

for (const c of loadSuite('symbols')) {
  for (const [variant, text] of [['', c.text], [' (CRLF)', toCrlf(c.text)]] as const) {
    test(c.name + variant, () => {
      const expected = sectionLines(c, 'outline');
      assert.ok(expected, `${c.file}: case "${c.name}" has no --- outline section`);
      const symbols = documentSymbols(analyzeText(text));
      assert.deepEqual(render(symbols), expected);
      checkRanges(symbols, undefined);
    });
  }
}

test('summaries are the arguments on one line: continuations joined, comments and heredoc bodies left out', () => {
  const text = 'ARG V=1\nFROM golang AS build\nARG GOOS=linux GOARCH=amd64\nRUN go build \\\n  # a comment\n  -o /out ./cmd/a-very-long-command-name/that-goes-on\nCOPY <<EOF /x\nbody\nEOF\n';
  const symbols = documentSymbols(analyzeText(text));
  assert.deepEqual(render(symbols), [
    'arg V (= 1)',
    'stage build',
    '  ARG GOOS=linux GOARCH=amd64',
    '  RUN go build -o /out ./cmd/a-very-long-comm…',
    '  COPY <<EOF /x',
  ]);
});

test(`past ${MAX_OUTLINE_INSTRUCTIONS} instructions the outline lists stages without their instructions`, () => {
  const stage = (i: number, lines: number) => [`FROM alpine AS s${i}`, ...Array.from({ length: lines - 1 }, (_, k) => `RUN echo ${k}`)].join('\n');
  const small = documentSymbols(analyzeText([stage(0, 10), stage(1, 10)].join('\n')));
  assert.deepEqual(small.map((s) => s.children.length), [9, 9]);
  const stages = Math.ceil(MAX_OUTLINE_INSTRUCTIONS / 50) + 1;
  const big = documentSymbols(analyzeText(Array.from({ length: stages }, (_, i) => stage(i, 50)).join('\n')));
  assert.equal(big.length, stages);
  assert.ok(big.every((s) => s.kind === 'stage' && s.children.length === 0));
});

test('an edit in one stage leaves the other stages\' symbols as they were (same objects, not rebuilt)', () => {
  const cache = new PieceCache();
  const before = 'FROM golang AS build\nRUN make\nFROM alpine AS test\nRUN echo 1\nFROM scratch AS out\n';
  const after = before.replace('echo 1', 'echo 2');
  const v1 = documentSymbols(analyzeText(before, 1, cache));
  const v2 = documentSymbols(analyzeText(after, 2, cache));
  assert.deepEqual(v2.map((s) => s.name), ['build', 'test', 'out']);
  assert.equal(v2[0], v1[0]);
  assert.equal(v2[2], v1[2]);
  assert.notEqual(v2[1], v1[1]);
  assert.equal(v2[1].children[0].name, 'RUN echo 2');
});
