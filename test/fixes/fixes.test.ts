/**
 * Quick fixes, data-driven: test/fixtures/fixes/<RuleCode>.cases (NameStage.cases for the
 * "Name this stage" refactoring, FixAll.cases for fix-all only).
 *
 * Each case is a Dockerfile with `$0` on the diagnostic's range (for NameStage: on the FROM
 * line) and sections:
 * - `--- fixes`: the titles of every fix offered there, in order, one a line, each followed by
 *   ` [preferred]`, ` [fixAll]` or ` [preferred, fixAll]` when so marked (an empty section: none);
 * - `--- fix TITLE`: the text after applying that fix. The test then analyses that text again:
 *   no finding of the rule remains where the fixed one was (its range mapped through the
 *   edits), and for the fixes that only rename or re-spell (every rule but UnknownStageReference,
 *   UndefinedArgInFrom, AddFromFlag and UndefinedVar), every stage reference resolves as before;
 * - `--- fixAll`: the text after applying every fix-all fix of the file.
 * Every case runs as written, with CRLF line endings and with a BOM in front.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { Position, Range, rangeContains } from '../../server/src/analysis/positions';
import { StageModel } from '../../server/src/analysis/stageModel';
import { fixAllEdits, fixesFor, nameStageRefactor } from '../../server/src/rules/codeActions';
import { ALL_RULES } from '../../server/src/rules/allRules';
import { CodeFix } from '../../server/src/rules/rule';
import { findingsFor } from '../../server/src/rules/runRules';
import { SourceText } from '../../server/src/edits/sourceText';
import { applyEdits, rangesMeet } from '../support/applyEdits';
import { FixtureCase, fixturePath, formatRange, loadCases } from '../support/fixtures';

const NAME_STAGE = 'NameStage';
const FIX_ALL = 'FixAll';
/** Fixes that only rename or re-spell: every reference must resolve as before. */
const KEEPS_RESOLUTION: ReadonlySet<string> = new Set([
  'NumericStageReference', 'StageNameCasing', 'DuplicateStageName', 'FromAsCasing', NAME_STAGE,
  'ConsistentInstructionCasing', 'JSONArgsRecommended', 'LegacyKeyValueFormat', 'MaintainerDeprecated', 'RedundantTargetPlatform',
  'ExposeProtoCasing', 'NoEmptyContinuation',
]);

interface Variant {
  name: string;
  text: (t: string) => string;
  position: (p: Position) => Position;
}

const VARIANTS: Variant[] = [
  { name: 'LF', text: (t) => t, position: (p) => p },
  { name: 'CRLF', text: (t) => t.replace(/\n/g, '\r\n'), position: (p) => p },
  { name: 'BOM', text: (t) => '\uFEFF' + t, position: (p) => (p.line === 0 ? { line: 0, character: p.character + 1 } : p) },
];

function label(fix: CodeFix): string {
  const flags = [fix.isPreferred ? 'preferred' : '', fix.fixAll ? 'fixAll' : ''].filter((f) => f !== '');
  return flags.length > 0 ? `${fix.title} [${flags.join(', ')}]` : fix.title;
}

/** Where the fixes are asked for: the findings of the rule at the cursor, or the FROM line. */
function offered(code: string, model: StageModel, source: SourceText, cursor: Position): { fixes: CodeFix[]; places: Range[] } {
  if (code === NAME_STAGE) {
    const fix = nameStageRefactor(model, { start: cursor, end: cursor });
    const stage = model.stageAt(cursor);
    return { fixes: fix ? [fix] : [], places: stage ? [stage.syntax.from.range] : [] };
  }
  const findings = findingsFor(model).filter((f) => f.code === code && rangeContains(f.range, cursor));
  assert.ok(findings.length > 0, `no ${code} finding at ${cursor.line}:${cursor.character}; got ${findingsFor(model).map((f) => `${f.code} ${formatRange(f.range)}`).join(', ')}`);
  return { fixes: findings.flatMap((f) => fixesFor(model, f, source)), places: findings.map((f) => f.range) };
}

function resolutions(model: StageModel): string[] {
  return model.refs.map((r) => `${r.kind} ${JSON.stringify(r.resolution)}`);
}

function check(code: string, c: FixtureCase, v: Variant): void {
  const text = v.text(c.text);
  const model = analyzeText(text);
  const source = new SourceText(text);
  assert.ok(c.sections.length > 0, 'a fix case needs a --- fixes, --- fix or --- fixAll section');
  for (const section of c.sections) {
    const expected = v.text(section.body);
    if (section.header === 'fixAll') {
      const edits = fixAllEdits(model, findingsFor(model), source);
      assert.equal(applyEdits(text, edits).text, expected, 'text after fix-all');
      continue;
    }
    assert.ok(code !== FIX_ALL, `${FIX_ALL}.cases takes --- fixAll sections only`);
    assert.ok(c.cursor, `case "${c.name}" has no $0`);
    const cursor = v.position(c.cursor);
    const { fixes, places } = offered(code, model, source, cursor);
    if (section.header === 'fixes') {
      assert.deepEqual(fixes.map(label), section.body.split('\n').map((l) => l.trim()).filter((l) => l !== ''), 'the fixes offered');
      continue;
    }
    assert.ok(section.header.startsWith('fix '), `unknown section "${section.header}"`);
    const title = section.header.slice('fix '.length).trim();
    const fix = fixes.find((f) => f.title === title);
    assert.ok(fix, `no fix "${title}"; offered: ${fixes.map((f) => f.title).join(' | ') || 'none'}`);
    const applied = applyEdits(text, fix.edits);
    assert.equal(applied.text, expected, `text after "${title}"`);
    const after = analyzeText(applied.text);
    for (const place of places.map((p) => applied.mapRange(p))) {
      if (code === NAME_STAGE) {
        assert.ok(after.stageAt(place.start)?.name !== undefined, 'the stage has a name now');
        continue;
      }
      const left = findingsFor(after).filter((f) => f.code === code && rangesMeet(f.range, place));
      assert.deepEqual(left.map((f) => `${formatRange(f.range)} ${f.message}`), [], `a ${code} finding is left where the fix was (${formatRange(place)})`);
    }
    if (KEEPS_RESOLUTION.has(code)) assert.deepEqual(resolutions(after), resolutions(model), 'every reference resolves as before');
  }
}

const dir = fixturePath('fixes');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.cases')).sort();

test('every fixes file names a rule that has fixes (or NameStage, FixAll)', () => {
  const withFixes = new Set(ALL_RULES.filter((r) => r.fixes).map((r) => r.code));
  for (const f of files) {
    const code = f.slice(0, -'.cases'.length);
    assert.ok(withFixes.has(code) || code === NAME_STAGE || code === FIX_ALL, `${f}: no rule ${code} with fixes`);
  }
  for (const code of withFixes) assert.ok(files.includes(`${code}.cases`), `test/fixtures/fixes/${code}.cases is missing`);
});

for (const file of files) {
  const code = file.slice(0, -'.cases'.length);
  describe(file, () => {
    for (const c of loadCases(path.join(dir, file))) {
      for (const v of VARIANTS) test(`${c.name} (${v.name})`, () => check(code, c, v));
    }
  });
}
