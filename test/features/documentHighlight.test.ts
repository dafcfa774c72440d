import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { documentHighlights } from '../../server/src/features/documentHighlight';
import { formatRange, loadSuite } from '../support/fixtures';
import { compareFormatted, crlf, cursorOf } from './navigationSupport';

/** Marks: `write` (the AS name) and `read` (each use). */
const cases = loadSuite('highlight');

for (const [title, eol] of [['document highlight', (t: string) => t], ['document highlight with CRLF line endings', crlf]] as const) {
  describe(title, () => {
    for (const c of cases) {
      test(c.name, () => {
        const model = analyzeText(eol(c.text));
        const actual = documentHighlights(model, cursorOf(c)).map((h) => `${formatRange(h.range)} ${h.kind}`);
        const expected = c.marks
          .filter((m) => m.label === 'write' || m.label === 'read')
          .map((m) => `${formatRange(m.range)} ${m.label}`)
          .sort(compareFormatted);
        assert.deepEqual(actual, expected, 'highlights in file order');
      });
    }
  });
}
