/**
 * Stage-graph CodeLens: test/fixtures/codelens/*.cases. Each lens is shown as its line and
 * title, then the heading of the menu it opens in brackets, then the menu's entries, one per
 * line, as `  TITLE -> COMMAND ARGS`.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { LensOptions, STAGE_COMMANDS, StageAction, StageLens, codeLenses } from '../../server/src/features/codeLens';
import { loadSuite } from '../support/fixtures';

const URI = 'file:///w/Dockerfile';

function shown(lenses: StageLens[]): string[] {
  const lines: string[] = [];
  for (const l of lenses) {
    lines.push(`${l.range.start.line + 1}: ${l.title}`);
    if (!l.command) continue;
    assert.equal(l.command.command, STAGE_COMMANDS.stageActions);
    assert.equal(l.command.arguments[0], URI);
    lines.push(`  [${l.command.arguments[2] as string}]`);
    for (const a of l.command.arguments[1] as StageAction[]) {
      lines.push(`  ${a.title} -> ${a.command} ${JSON.stringify(a.arguments).split(JSON.stringify(URI)).join('"U"')}`);
    }
  }
  return lines;
}

for (const c of loadSuite('codelens')) {
  test(c.name, () => {
    const expected = c.sections.find((s) => s.header === 'lenses')!.body.trimEnd().split('\n');
    assert.deepEqual(shown(codeLenses(analyzeText(c.text), URI)), expected);
  });
}

test('one lens per stage, whatever the stage holds', () => {
  const model = analyzeText('FROM golang AS build\nRUN x\nFROM build AS test\nFROM alpine\nCOPY --from=build /a /b\nCOPY --from=test /a /b\n');
  assert.deepEqual(codeLenses(model, URI).map((l) => l.range.start.line), [0, 2, 3]);
});

test('an untrusted workspace gets no build action, and the other actions stay', () => {
  const model = analyzeText('FROM golang AS build\nFROM alpine\nCOPY --from=build /a /b\n');
  const menus = (options: LensOptions) =>
    codeLenses(model, URI, options).map((l) => ((l.command?.arguments[1] ?? []) as StageAction[]).map((a) => a.title));
  assert.deepEqual(menus({ buildCommands: true }), [['Peek the use of stage "build"', '▶ Build this stage (--target build)'], ['Name this stage']]);
  assert.deepEqual(menus({ buildCommands: false }), [['Peek the use of stage "build"'], ['Name this stage']]);
});
