import test, { describe } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { references } from '../../server/src/features/references';
import { loadSuite } from '../support/fixtures';
import { crlf, cursorOf, marksOf, rangeSet } from './navigationSupport';

/** Marks: `decl` (the AS name, reported with includeDeclaration) and `ref` (each use). */
const cases = loadSuite('references');

for (const [title, eol] of [['references', (t: string) => t], ['references with CRLF line endings', crlf]] as const) {
  describe(title, () => {
    for (const c of cases) {
      test(c.name, () => {
        const model = analyzeText(eol(c.text));
        const pos = cursorOf(c);
        const refs = marksOf(c, 'ref').map((m) => m.range);
        const decls = marksOf(c, 'decl').map((m) => m.range);
        const withDecl = references(model, pos, true);
        assert.deepEqual(withDecl.map((r) => rangeSet([r])[0]), rangeSet([...decls, ...refs]), 'includeDeclaration: true (in file order)');
        assert.deepEqual(rangeSet(references(model, pos, false)), rangeSet(refs), 'includeDeclaration: false');
      });
    }
  });
}
