/**
 * The piecewise parse (documentParser.ts) must equal a whole-file parse, whatever the edit.
 *
 * A property test with a seeded PRNG: Dockerfiles (the rules and model fixtures, plus the real
 * corpus at ../shared/corpus/real when it is there) get random edits, and every version is
 * parsed with one shared PieceCache and compared with parseDocument(text, undefined,
 * { whole: true }): the same ParsedDocument, except piecesParsed. The model and the rules run
 * on every version too, and must not throw.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ParsedDocument, PieceCache, parseDocument } from '../../server/src/analysis/documentParser';
import { StageModel } from '../../server/src/analysis/stageModel';
import { findingsFor } from '../../server/src/rules/runRules';
import { corpusTexts, loadSuite } from '../support/fixtures';
import { pick, prng, seedOf } from '../support/random';

const SOURCES: string[] = [
  ...loadSuite('rules').map((c) => c.text),
  ...loadSuite('model').map((c) => c.text),
  ...corpusTexts(),
];

/** Strings that stress the cut points: FROM lines, heredocs, continuations, escapes, CRLF. */
const SNIPPETS = [
  'FROM x\n', 'FROM x AS y\n', 'from scratch\n', 'FROM\n', ' FROM a\n', 'RUN <<EOF\n', 'EOF\n', 'COPY <<-EOT /x\n', '\tEOT\n',
  'RUN echo \\\n', 'RUN echo `\n', '\\\n', '`\n', '# comment\n', '\n', '\r\n', 'COPY --from=y / /\n', 'ARG A=1\n',
  'RUN --mount=from=x,target=/x true\n', 'ONBUILD COPY --from=z / /\n',
];
const CHARS = ['\n', '\\', '`', '<', '$', '#', ' ', '\t', 'F', 'R', 'O', 'M', 'E', 'x', '"', "'", '=', '\r'];

type Edit = (text: string, rand: () => number) => string;

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

const EDITS: Record<string, Edit> = {
  insertChars(text, rand) {
    const at = Math.floor(rand() * (text.length + 1));
    let s = '';
    for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) s += pick(CHARS, rand);
    return text.slice(0, at) + s + text.slice(at);
  },
  deleteChars(text, rand) {
    const at = Math.floor(rand() * (text.length + 1));
    return text.slice(0, at) + text.slice(at + 1 + Math.floor(rand() * 4));
  },
  insertLine(text, rand) {
    const starts = lineStarts(text);
    const at = pick(starts, rand);
    return text.slice(0, at) + pick(SNIPPETS, rand) + text.slice(at);
  },
  deleteLine(text, rand) {
    const starts = lineStarts(text);
    const i = Math.floor(rand() * starts.length);
    const end = i + 1 < starts.length ? starts[i + 1] : text.length;
    return text.slice(0, starts[i]) + text.slice(end);
  },
  trailingBackslash(text, rand) {
    const starts = lineStarts(text);
    const i = 1 + Math.floor(rand() * (starts.length - 1));
    if (i >= starts.length) return text + ' \\';
    const at = starts[i] - 1;
    const cr = text[at - 1] === '\r' ? 1 : 0;
    return text.slice(0, at - cr) + (rand() < 0.5 ? ' \\' : ' `') + text.slice(at - cr);
  },
  escapeDirective(text, rand) {
    const m = /^# escape=.\r?\n/.exec(text);
    if (m) return rand() < 0.5 ? text.slice(m[0].length) : `# escape=${text[9] === '`' ? '\\' : '`'}\n` + text.slice(m[0].length);
    return '# escape=`\n' + text;
  },
  crlf(text) {
    return text.replace(/\r?\n/g, '\r\n');
  },
  lf(text) {
    return text.replace(/\r\n/g, '\n');
  },
};
const EDIT_NAMES = Object.keys(EDITS);

function comparable(doc: ParsedDocument): Omit<ParsedDocument, 'piecesParsed'> {
  const { piecesParsed: _ignored, ...rest } = doc;
  return rest;
}

function assertSameParse(text: string, cache: PieceCache, context: () => string): ParsedDocument {
  let incremental: ParsedDocument;
  let whole: ParsedDocument;
  try {
    incremental = parseDocument(text, cache);
    whole = parseDocument(text, undefined, { whole: true });
  } catch (e) {
    throw new Error(`parseDocument threw ${(e as Error).stack}\n${context()}\n--- text ---\n${JSON.stringify(text)}`);
  }
  assert.deepStrictEqual(comparable(incremental), comparable(whole), `piecewise parse differs from the whole parse\n${context()}\n--- text ---\n${JSON.stringify(text)}`);
  // Whatever the text, the model and the rules must not throw on it.
  try {
    findingsFor(new StageModel(0, incremental));
  } catch (e) {
    throw new Error(`the model or a rule threw ${(e as Error).stack}\n${context()}\n--- text ---\n${JSON.stringify(text)}`);
  }
  return incremental;
}

test('random edits: the piecewise parse with a shared cache equals the whole parse', () => {
  const seed = seedOf(20240611);
  const rand = prng(seed);
  const iterations = 250;
  // CPU time, not wall time: other suites run in parallel processes.
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const started = cpu();
  for (let i = 0; i < iterations; i++) {
    let text = pick(SOURCES, rand);
    // Keep big corpus files fast: a window of at most 40 lines from a random line.
    const starts = lineStarts(text);
    if (starts.length > 40) {
      const from = Math.floor(rand() * (starts.length - 40));
      text = text.slice(starts[from], starts[from + 40]);
    }
    const cache = new PieceCache();
    const applied: string[] = [];
    assertSameParse(text, cache, () => `seed ${seed}, iteration ${i}, before any edit`);
    for (let step = 1 + Math.floor(rand() * 3); step > 0; step--) {
      const name = pick(EDIT_NAMES, rand);
      text = EDITS[name](text, rand);
      applied.push(name);
      assertSameParse(text, cache, () => `seed ${seed}, iteration ${i}, edits ${applied.join(', ')}`);
    }
  }
  const spent = cpu() - started;
  assert.ok(spent < 3000, `the property test took ${Math.round(spent)} ms of CPU time`);
});

function hundredStages(): string {
  const lines = ['# syntax=docker/dockerfile:1', 'ARG BASE=alpine:3.20'];
  for (let i = 0; i < 100; i++) {
    lines.push(`FROM ${i === 0 ? '${BASE}' : `stage${i - 1}`} AS stage${i}`);
    lines.push(`RUN echo building ${i} \\`);
    lines.push(`    && touch /out-${i}`);
    lines.push(`COPY --from=stage${Math.max(0, i - 2)} /out-${Math.max(0, i - 2)} /in/`);
    lines.push('');
  }
  return lines.join('\n');
}

test('a one-character edit in the middle of a 100-stage file re-parses exactly one piece', () => {
  const cache = new PieceCache();
  const text = hundredStages();
  const first = parseDocument(text, cache);
  assert.equal(first.stages.length, 100);
  assert.equal(first.piecesParsed, 101, 'the preamble and each stage are pieces');
  assert.equal(parseDocument(text, cache).piecesParsed, 0, 'nothing changed, nothing parsed');

  const at = text.indexOf('echo building 50') + 'echo building 5'.length;
  const edited = text.slice(0, at) + '7' + text.slice(at + 1);
  const second = assertSameParse(edited, cache, () => 'one character changed in stage 50');
  assert.equal(second.piecesParsed, 1);

  // Inserting a line shifts every later stage without parsing it again.
  const line = edited.indexOf('RUN echo building 57');
  assert.ok(line > 0);
  const inserted = edited.slice(0, line) + 'RUN true\n' + edited.slice(line);
  const third = assertSameParse(inserted, cache, () => 'a line inserted in stage 50');
  assert.equal(third.piecesParsed, 1);
  assert.equal(third.stages[99].from.range.start.line, second.stages[99].from.range.start.line + 1);
});

test('regressions found by the property test', () => {
  // `FROM\''` at a line start is an instruction named FROM\'', not a FROM: no cut there.
  const notFrom = "FROM alpine AS build\nFROM\\'' scratch\nCOPY --from=build / /\n";
  assert.equal(assertSameParse(notFrom, new PieceCache(), () => 'FROM followed by an escape mid-line').stages.length, 1);
  // A lone \r ends a line for dockerfile-ast (and LSP): line numbers must agree.
  const loneCr = 'ARG BASE=alpine\nAR\rRG TAG\nFROM ${BASE} AS build \\\nFROM $BASE\nCOPY --from=build / /\n';
  const doc = assertSameParse(loneCr, new PieceCache(), () => 'a lone CR');
  assert.equal(doc.lineCount, 7);
  // dockerfile-ast's getHeredocs throws on this malformed opener; the analysis must not.
  const badHeredoc = 'FROM alpine AS build\nCOPY <<-"EOT"" /x\n\tEOT\nFROM scratch\nCOPY --from=build / /\n';
  assertSameParse(badHeredoc, new PieceCache(), () => 'malformed heredoc');
  // `FROM\` then a line break is a FROM continued on the next line.
  const continued = 'FROM a AS one\nFROM\\\n  one AS two\n';
  assert.equal(assertSameParse(continued, new PieceCache(), () => 'FROM continued').stages.length, 2);
});

test('an edit that opens a heredoc or continuation merges pieces until the parser is back in its initial state', () => {
  const cache = new PieceCache();
  const text = 'FROM a AS one\nRUN true\nFROM b AS two\nRUN true\nFROM c AS three\n';
  assert.equal(parseDocument(text, cache).stages.length, 3);
  const heredoc = text.replace('RUN true\nFROM b', 'RUN <<EOF\nFROM b');
  assert.equal(assertSameParse(heredoc, cache, () => 'heredoc opened').stages.length, 1);
  const closed = heredoc.replace('FROM b AS two\n', 'FROM b AS two\nEOF\n');
  assert.equal(assertSameParse(closed, cache, () => 'heredoc closed').stages.length, 2);
  const continued = text.replace('RUN true\nFROM b', 'RUN true \\\nFROM b');
  assert.equal(assertSameParse(continued, cache, () => 'continuation').stages.length, 2);
  const escaped = '# escape=`\n' + continued;
  assert.equal(assertSameParse(escaped, cache, () => 'escape directive').stages.length, 3);
});
