/**
 * Properties of variables that must hold for every input, over the fixtures that hold ARGs and
 * ENVs and the real corpus when it is there, LF and CRLF:
 *
 * 1. every use's range reads, as written, as its name, and its declaration (when it has one)
 *    declares that name;
 * 2. a variable rename is either refused with a reason or leaves every use resolving to the same
 *    declaration as before, the renamed uses and declarations reading the new name and every
 *    other use and declaration as it was.
 *
 * A failure prints the seed and the text; PROPERTY_SEED=<seed> replays it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageModel } from '../../server/src/analysis/stageModel';
import { VariableDecl, VariableScopes, variableScopes } from '../../server/src/analysis/variableScopes';
import { renameVariable } from '../../server/src/features/variables';
import { applyEdits } from '../support/applyEdits';
import { corpusTexts, loadSuite } from '../support/fixtures';
import { pick, prng, seedOf } from '../support/random';

const SOURCES: string[] = [
  ...loadSuite('rules').map((c) => c.text),
  ...loadSuite('hover').map((c) => c.text),
  ...loadSuite('rename').map((c) => c.text),
  ...loadSuite('definition').map((c) => c.text),
  ...corpusTexts(),
].filter((t) => t.includes('$') || /\b(ARG|ENV)\b/i.test(t));

/** A declaration by its place among the file's declarations, which a rename keeps. */
function declKey(model: StageModel, d: VariableDecl | undefined): string {
  if (!d) return 'none';
  switch (d.kind) {
    case 'predefined':
      return `predefined ${d.name}`;
    case 'global':
      return `global ${model.globalArgs.indexOf(d.decl)}`;
    case 'arg':
      return `stage ${d.stage} arg ${model.stages[d.stage].syntax.args.indexOf(d.decl)}`;
    case 'env':
      return `stage ${d.stage} env ${model.stages[d.stage].syntax.envs.indexOf(d.decl)}`;
  }
}

function lines(text: string): string[] {
  return text.split(/\r\n|\n|\r/);
}

function describe(model: StageModel, scopes: VariableScopes): string[] {
  return scopes.sites.map((s) => `${s.name} → ${declKey(model, s.decl)}`);
}

/** Every declaration's name, in the file's order of declarations. */
function declaredNames(model: StageModel): string[] {
  return [
    ...model.globalArgs.map((a) => `global ${a.name}`),
    ...model.stages.flatMap((s) => [...s.syntax.args.map((a) => `stage ${s.index} arg ${a.name}`), ...s.syntax.envs.map((e) => `stage ${s.index} env ${e.name}`)]),
  ];
}

test('every variable use reads as its name, and resolves to a declaration of that name', () => {
  for (const [n, original] of SOURCES.entries()) {
    for (const text of [original, original.replace(/\r?\n/g, '\r\n')]) {
      const model = analyzeText(text);
      const all = lines(text);
      for (const site of variableScopes(model).sites) {
        const { start, end } = site.range;
        assert.equal(start.line, end.line, `source ${n}: a use on one line`);
        assert.equal(all[start.line].slice(start.character, end.character), site.name, `source ${n}: the text under the use of ${site.name}`);
        if (site.decl && site.decl.kind !== 'predefined') assert.equal(site.decl.decl.name, site.name, `source ${n}: ${site.name} resolves to a declaration of ${site.decl.decl.name}`);
      }
    }
  }
});

test('every variable rename is refused with a reason or keeps every use resolving as before', () => {
  const seed = seedOf(61_331);
  const rand = prng(seed);
  let renamed = 0;
  let refused = 0;
  for (let i = 0; i < 300; i++) {
    let text = pick(SOURCES, rand);
    if (rand() < 0.3) text = text.replace(/\r?\n/g, '\r\n');
    const model = analyzeText(text);
    const scopes = variableScopes(model);
    // A use or a declaration's name, at a random character of it.
    const places = [
      ...scopes.sites.map((s) => s.range),
      ...model.globalArgs.map((a) => a.nameRange),
      ...model.stages.flatMap((s) => [...s.syntax.args.map((a) => a.nameRange), ...s.syntax.envs.map((e) => e.nameRange)]),
    ];
    if (places.length === 0) continue;
    const place = pick(places, rand);
    const at = { line: place.start.line, character: place.start.character + Math.floor(rand() * (place.end.character - place.start.character + 1)) };
    const taken = [...new Set([...scopes.sites.map((s) => s.name), ...declaredNames(model).map((d) => d.split(' ').pop()!)])];
    const newName = rand() < 0.2 && taken.length > 0 ? pick(taken, rand) : rand() < 0.1 ? 'TARGETARCH' : `RENAMED_${i}`;
    const context = `seed ${seed}, iteration ${i}: rename the variable at ${at.line}:${at.character} to ${newName}\n--- text ---\n${text}`;
    const result = renameVariable(model, at, newName);
    if (!result) continue;
    if ('error' in result) {
      assert.ok(result.error.length > 20, `${context}: refused without a reason`);
      refused++;
      continue;
    }
    if (result.edits.length === 0) continue;
    renamed++;
    const after = applyEdits(text, result.edits).text;
    const model2 = analyzeText(after);
    const scopes2 = variableScopes(model2);
    const edited = (r: { start: { line: number; character: number } }) => result.edits.some((e) => e.range.start.line === r.start.line && e.range.start.character === r.start.character);
    const expected = scopes.sites.map((s) => `${edited(s.range) ? newName : s.name} → ${declKey(model, s.decl)}`);
    assert.deepEqual(describe(model2, scopes2), expected, `${context}\n--- after ---\n${after}`);
    const expectedDecls = declaredNames(model).map((d, k) => {
      const all = [...model.globalArgs.map((a) => a.nameRange), ...model.stages.flatMap((s) => [...s.syntax.args.map((a) => a.nameRange), ...s.syntax.envs.map((e) => e.nameRange)])];
      return edited(all[k]) ? d.replace(/ \S+$/, ` ${newName}`) : d;
    });
    assert.deepEqual(declaredNames(model2), expectedDecls, `${context}: the declarations\n--- after ---\n${after}`);
  }
  assert.ok(renamed > 50 && refused > 10, `seed ${seed}: ${renamed} renames and ${refused} refusals checked (too few to mean much)`);
});
