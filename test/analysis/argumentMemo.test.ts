/**
 * argumentMemo.ts keeps dockerfile-ast's argument split on each instruction. It must change no
 * answer: every fixture and every file of the real corpus parses to the same syntax with the memo
 * as with dockerfile-ast's own, recomputing split.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Copy, DockerfileParser } from 'dockerfile-ast';
import { argumentMemoInstalled, withoutArgumentMemo } from '../../server/src/analysis/argumentMemo';
import { parseDocument } from '../../server/src/analysis/documentParser';
import { corpusTexts, loadSuite } from '../support/fixtures';

const SOURCES: string[] = [
  ...loadSuite('rules').map((c) => c.text),
  ...loadSuite('model').map((c) => c.text),
  ...loadSuite('symbols').map((c) => c.text),
  ...corpusTexts(),
];

test('the memo is in place on dockerfile-ast instructions', () => {
  assert.equal(argumentMemoInstalled(), true);
});

test('with and without the memo, every fixture and corpus file parses to the same syntax', () => {
  assert.ok(SOURCES.length > 100, `only ${SOURCES.length} sources found`);
  for (const text of SOURCES) {
    const remembered = parseDocument(text, undefined, { whole: true });
    const recomputed = withoutArgumentMemo(() => parseDocument(text, undefined, { whole: true }));
    assert.deepStrictEqual(remembered, recomputed, `the memo changed the parse of:\n${text.slice(0, 400)}`);
  }
});

test('callers that shift flags off the argument list do not shorten the list kept for the next caller', () => {
  const ins = DockerfileParser.parse('FROM alpine\nCOPY --from=build --chmod=644 /a /b\n').getInstructions()[1] as Copy;
  // ModifiableInstruction.getArguments shifts the two flags off the split it is given.
  const first = ins.getArguments().map((a) => a.getValue());
  const second = ins.getArguments().map((a) => a.getValue());
  assert.deepEqual(first, ['/a', '/b']);
  assert.deepEqual(second, ['/a', '/b']);
  assert.deepEqual(ins.getFlags().map((f) => f.getName()), ['from', 'chmod']);
});
