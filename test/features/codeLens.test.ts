/** Stage-graph CodeLens: test/fixtures/codelens/*.cases, each lens as its title and command. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { codeLenses } from '../../server/src/features/codeLens';
import { loadSuite } from '../support/fixtures';

const URI = 'file:///w/Dockerfile';

for (const c of loadSuite('codelens')) {
  test(c.name, () => {
    const expected = c.sections.find((s) => s.header === 'lenses')!.body.trim().split('\n');
    const actual = codeLenses(analyzeText(c.text), URI).map((l) => {
      const head = `${l.range.start.line + 1}: ${l.title}`;
      return l.command ? `${head} -> ${l.command.command} ${JSON.stringify(l.command.arguments).split(JSON.stringify(URI)).join('"U"')}` : head;
    });
    assert.deepEqual(actual, expected);
  });
}

test('an untrusted workspace gets no build lens, and the other lenses stay', () => {
  const model = analyzeText('FROM golang AS build\nFROM alpine\nCOPY --from=build /a /b\n');
  const titles = (buildCommands: boolean) => codeLenses(model, URI, { buildCommands }).map((l) => l.title);
  assert.deepEqual(titles(true), ['from golang', 'used by 1: stage-1', '▶ Build this stage', 'from alpine', 'target', 'Name this stage']);
  assert.deepEqual(titles(false), ['from golang', 'used by 1: stage-1', 'from alpine', 'target', 'Name this stage']);
});
