import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { comparePositions } from '../../server/src/analysis/positions';
import { StageModel } from '../../server/src/analysis/stageModel';
import { prepareRename, rename } from '../../server/src/features/rename';
import { FixtureCase, formatRange, loadSuite } from '../support/fixtures';
import { applyEdits, crlf, cursorOf, marksOf, textAt } from './navigationSupport';
import { readWrittenToken } from '../support/writtenToken';

/**
 * A rename case: a Dockerfile with `$0` and sections
 * - `--- rename NEW`: the text after renaming to NEW (a `rename` mark gives the range
 *   prepareRename must return);
 * - `--- error NEW`: prepareRename accepts the position, rename to NEW fails with a message
 *   containing the section's text;
 * - `--- error`: prepareRename (and rename) refuse the position with that message.
 */
const cases = loadSuite('rename');

function check(c: FixtureCase, eol: (t: string) => string): void {
  const text = eol(c.text);
  const model = analyzeText(text);
  const pos = cursorOf(c);
  assert.ok(c.sections.length > 0, 'a rename case needs a --- rename or --- error section');
  for (const section of c.sections) {
    const [kind, newName] = section.header.split(/\s+/, 2);
    const prepared = prepareRename(model, pos);
    if (kind === 'error' && newName === undefined) {
      const message = section.body.trim();
      assert.ok('error' in prepared, `prepareRename should refuse, got ${JSON.stringify(prepared)}`);
      assert.ok(prepared.error.includes(message), `prepareRename: "${prepared.error}" should contain "${message}"`);
      const renamed = rename(model, pos, 'renamed');
      assert.ok('error' in renamed && renamed.error === prepared.error, 'rename refuses like prepareRename');
      continue;
    }
    assert.ok(newName !== undefined, `section "${section.header}" needs a new name`);
    assert.ok(!('error' in prepared), `prepareRename refused: ${'error' in prepared ? prepared.error : ''}`);
    const expectedRange = marksOf(c, 'rename');
    if (expectedRange.length > 0) assert.equal(formatRange(prepared.range), formatRange(expectedRange[0].range), 'prepareRename range');
    assert.equal(readWrittenToken(textAt(text, prepared.range), model.escapeChar), prepared.placeholder, 'the placeholder is the name the range holds');
    const result = rename(model, pos, newName);
    if (kind === 'error') {
      const message = section.body.trim();
      assert.ok('error' in result, `rename to ${newName} should fail, got ${JSON.stringify(result)}`);
      assert.ok(result.error.includes(message), `"${result.error}" should contain "${message}"`);
      continue;
    }
    assert.equal(kind, 'rename', `unknown section "${section.header}"`);
    assert.ok(!('error' in result), `rename to ${newName} failed: ${'error' in result ? result.error : ''}`);
    const { edits } = result;
    for (let i = 0; i < edits.length; i++) {
      assert.notEqual(textAt(text, edits[i].range), edits[i].newText, `edit ${formatRange(edits[i].range)} changes nothing`);
      if (i > 0) assert.ok(comparePositions(edits[i - 1].range.end, edits[i].range.start) <= 0, 'edits sorted, not overlapping');
      if (i > 0) assert.ok(comparePositions(edits[i - 1].range.start, edits[i].range.start) < 0, 'no duplicate edits');
    }
    const after = applyEdits(text, edits);
    assert.equal(after, eol(section.body));
    assertSameResolution(model, analyzeText(after));
  }
}

/** After a rename every reference still resolves as before (stage, problem, candidates). */
function assertSameResolution(before: StageModel, after: StageModel): void {
  const summary = (m: StageModel) => m.refs.map((r) => `${r.kind} ${JSON.stringify(r.resolution)}`);
  assert.deepEqual(summary(after), summary(before), 'references resolve as before the rename');
}

for (const [title, eol] of [['rename', (t: string) => t], ['rename with CRLF line endings', crlf]] as const) {
  describe(title, () => {
    for (const c of cases) test(c.name, () => check(c, eol));
  });
}
