/**
 * Hover cases (test/fixtures/hover/*.cases): `$0` is the cursor; every line of `--- contains`
 * must occur in the markdown (an empty or missing section: no hover at all); no line of
 * `--- not` may occur; an optional caret mark labelled `range` is the hover's range.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { hover } from '../../server/src/features/hover';
import { formatRange, loadSuite } from '../support/fixtures';
import { sectionLines, toCrlf } from './featureCases';

for (const c of loadSuite('hover')) {
  for (const [variant, text] of [['', c.text], [' (CRLF)', toCrlf(c.text)]] as const) {
    test(c.name + variant, () => {
      assert.ok(c.cursor, `${c.file}: case "${c.name}" has no $0 cursor`);
      // As the server calls it: with the text of the cursor's line.
      const result = hover(analyzeText(text), c.cursor, undefined, text.split(/\r\n|\n|\r/)[c.cursor.line]);
      const contains = (sectionLines(c, 'contains') ?? []).map((l) => l.trim());
      if (contains.length === 0) {
        assert.equal(result, undefined, 'expected no hover');
        return;
      }
      assert.ok(result, 'expected a hover');
      for (const s of contains) assert.ok(result.markdown.includes(s), `missing ${JSON.stringify(s)} in:\n${result.markdown}`);
      for (const s of sectionLines(c, 'not') ?? []) {
        assert.ok(!result.markdown.includes(s.trim()), `unexpected ${JSON.stringify(s.trim())} in:\n${result.markdown}`);
      }
      const r = result.range;
      assert.ok(r.start.line <= c.cursor.line && c.cursor.line <= r.end.line, `range ${formatRange(r)} holds the cursor`);
      const mark = c.marks.find((m) => m.label === 'range');
      if (mark) assert.equal(formatRange(r), formatRange(mark.range), 'range');
    });
  }
}
