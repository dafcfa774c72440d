/**
 * Folding cases (test/fixtures/folding/*.cases): `--- folds` lists the expected ranges in
 * order, one `START-END` per line with 0-based lines (LSP's), followed by the kind when there
 * is one (`region` for a stage). Empty: nothing folds. Every case runs with `\n` and `\r\n`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { foldingRanges } from '../../server/src/features/foldingRanges';
import { loadSuite } from '../support/fixtures';
import { sectionLines, toCrlf } from './featureCases';

for (const c of loadSuite('folding')) {
  for (const [variant, text] of [['', c.text], [' (CRLF)', toCrlf(c.text)]] as const) {
    test(c.name + variant, () => {
      const expected = sectionLines(c, 'folds');
      assert.ok(expected, `${c.file}: case "${c.name}" has no --- folds section`);
      const folds = foldingRanges(analyzeText(text));
      assert.deepEqual(folds.map((f) => `${f.startLine}-${f.endLine}${f.kind ? ' ' + f.kind : ''}`), expected.map((l) => l.trim()));
      const lineCount = text.split('\n').length;
      for (const f of folds) assert.ok(f.startLine < f.endLine && f.endLine < lineCount, `${f.startLine}-${f.endLine} in range`);
    });
  }
}
