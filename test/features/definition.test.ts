import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { Range, rangeContains } from '../../server/src/analysis/positions';
import { StageLink, definition } from '../../server/src/features/definition';
import { FixtureCase, formatRange, loadSuite } from '../support/fixtures';
import { compareFormatted, crlf, cursorOf, marksOf, splitLabel } from './navigationSupport';

/**
 * Marks of a definition case (an `id` after the kind tells the links of a FROM with build
 * arguments apart):
 * - `origin`: the reference under the cursor (shared by all links);
 * - `def [id]`: the target's selection range (the AS name, or the FROM of an unnamed stage);
 * - `stage [id]`: where the target stage starts; `end [id]`: where it ends (the end of the
 *   carets). Without `end`, the stage is the `stage` mark itself.
 * No marks: no definition.
 */
function expectedLinks(c: FixtureCase): string[] {
  const origins = marksOf(c, 'origin');
  const defs = marksOf(c, 'def');
  assert.ok(origins.length <= 1, 'at most one origin mark');
  if (defs.length === 0) {
    assert.equal(origins.length, 0, 'an origin mark without def marks');
    return [];
  }
  assert.equal(origins.length, 1, 'def marks need an origin mark');
  return defs.map((d) => {
    const { id } = splitLabel(d);
    const find = (kind: string) => c.marks.find((m) => { const l = splitLabel(m); return l.kind === kind && l.id === id; });
    const start = find('stage');
    assert.ok(start, `no "stage${id ? ' ' + id : ''}" mark`);
    const end = find('end') ?? start;
    return formatLink({ originRange: origins[0].range, targetRange: { start: start.range.start, end: end.range.end }, targetSelectionRange: d.range });
  }).sort(compareFormatted);
}

function formatLink(l: StageLink): string {
  return `${formatRange(l.originRange)} -> ${formatRange(l.targetRange)} @ ${formatRange(l.targetSelectionRange)}`;
}

function check(c: FixtureCase, text: string): void {
  const model = analyzeText(text);
  const links = definition(model, cursorOf(c));
  for (const l of links) {
    assert.ok(contains(l.targetRange, l.targetSelectionRange), `selection ${formatLink(l)} is outside its target range`);
  }
  assert.deepEqual(links.map(formatLink).sort(compareFormatted), expectedLinks(c));
}

function contains(outer: Range, inner: Range): boolean {
  return rangeContains(outer, inner.start) && rangeContains(outer, inner.end);
}

const cases = loadSuite('definition');

describe('definition', () => {
  for (const c of cases) test(c.name, () => check(c, c.text));
});

describe('definition with CRLF line endings', () => {
  for (const c of cases) test(c.name, () => check(c, crlf(c.text)));
});
