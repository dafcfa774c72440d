/**
 * Completion cases (test/fixtures/completion/*.cases): `$0` is the cursor; `--- labels` lists
 * the expected labels in display order (empty: no completion); an optional `--- details`
 * section has `label: detail` lines; an optional caret mark labelled `replace` is the range
 * every item must replace (otherwise: from the typed word's start to the cursor).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { completions } from '../../server/src/features/completion';
import { variableCompletions } from '../../server/src/features/variables';
import { formatRange, loadSuite } from '../support/fixtures';
import { linePrefix, sectionLines } from './featureCases';

for (const c of loadSuite('completion')) {
  test(c.name, () => {
    const cursor = c.cursor;
    assert.ok(cursor, `${c.file}: case "${c.name}" has no $0 cursor`);
    const expected = sectionLines(c, 'labels');
    assert.ok(expected, `${c.file}: case "${c.name}" has no --- labels section`);

    const model = analyzeText(c.text);
    const prefix = linePrefix(c.text, cursor);
    // As the server asks: variables after `$` / `${`, stage names elsewhere.
    const variables = variableCompletions(model, cursor, prefix);
    const items = variables
      ? variables.map((v) => ({ ...v, documentation: v.detail, sortText: v.label }))
      : completions(model, cursor, prefix);
    assert.deepEqual(items.map((i) => i.label), expected, 'labels');

    // Returned in display order: editors sort by sortText.
    const bySortText = [...items].sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : 0));
    assert.deepEqual(bySortText.map((i) => i.label), expected, 'sortText order');
    assert.equal(new Set(items.map((i) => i.label)).size, items.length, 'no duplicate labels');

    const replace = c.marks.find((m) => m.label === 'replace');
    for (const item of items) {
      assert.ok(item.detail.length > 0, `${item.label}: detail`);
      assert.ok(item.documentation.length > 0, `${item.label}: documentation`);
      const r = item.replaceRange;
      if (replace) {
        assert.equal(formatRange(r), formatRange(replace.range), `${item.label}: replaceRange`);
      } else {
        assert.equal(formatRange(r), formatRange({ start: cursor, end: cursor }), `${item.label}: replaceRange (nothing typed)`);
      }
    }

    for (const line of sectionLines(c, 'details') ?? []) {
      const sep = line.indexOf(': ');
      const label = line.slice(0, sep);
      const item = items.find((i) => i.label === label);
      assert.ok(item, `details: no item ${label}`);
      assert.equal(item.detail, line.slice(sep + 2), `${label}: detail`);
    }
  });
}
