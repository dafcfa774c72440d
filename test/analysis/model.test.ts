/**
 * The StageModel, data-driven: test/fixtures/model/*.cases.
 *
 * Each stage reference's value is marked with its resolution, written canonically:
 *     COPY --from=build /out /out
 *     #           ^^^^^ stage#0
 * - `stage#N`, plus ` self` / ` later` / ` cycle` when BuildKit rejects the reference;
 * - `image`;
 * - `variable`, plus ` candidates=1,2` and ` default=N` when there are any;
 * - `deferred` (ONBUILD COPY --from), `deferred stage#N` when a stage of the file is built on the
 *   trigger's stage and the trigger finds stage N there, `deferred here` when it finds none;
 * - `invalid REASON` (index-out-of-range, add-from, variable, empty);
 * - followed by ` numeric` for a `--from=N`.
 * Every reference must be marked, except FROM bases that resolve to an image (optional).
 * A reference with an empty value (`--from=`) cannot be marked with carets: list it in an
 * `--- empty` section as `LINE:CHARACTER label` (0-based), and one written over several lines
 * (a continuation) in a `--- spans` section as `LINE:CHAR-LINE:CHAR label`.
 *
 * An optional `--- stages` section lists every stage, one line each:
 *     INDEX NAME|- reachable|unreachable deps=A,B|- usedBy=C|-
 * (deps and usedBy are Stage.dependsOn and Stage.usedBy, in the model's order).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageModel, StageRef } from '../../server/src/analysis/stageModel';
import { FixtureCase, formatRange, loadSuite } from '../support/fixtures';

function resolutionLabel(ref: StageRef): string {
  const r = ref.resolution;
  let label: string;
  switch (r.kind) {
    case 'stage': label = `stage#${r.stage}${r.problem ? ` ${r.problem}` : ''}`; break;
    case 'image': label = 'image'; break;
    // A trigger that runs in this file: the stage it finds there, or `here` when it finds none.
    case 'deferred': label = r.stage !== undefined ? `deferred stage#${r.stage}` : r.runsHere ? 'deferred here' : 'deferred'; break;
    case 'invalid': label = `invalid ${r.reason}`; break;
    case 'variable':
      label = 'variable';
      if (r.candidates.length > 0) label += ` candidates=${r.candidates.join(',')}`;
      if (r.withDefaults !== undefined) label += ` default=${r.withDefaults}`;
      break;
  }
  return ref.numeric ? `${label} numeric` : label;
}

function stageLines(model: StageModel): string {
  return model.stages
    .map((s) => `${s.index} ${s.name ?? '-'} ${s.reachable ? 'reachable' : 'unreachable'} deps=${s.dependsOn.join(',') || '-'} usedBy=${s.usedBy.join(',') || '-'}`)
    .join('\n');
}

function checkCase(c: FixtureCase, text: string, variant: string): void {
  const model = analyzeText(text);
  const actual = model.refs
    .filter((r) => !(r.kind === 'from' && r.resolution.kind === 'image' && !c.marks.some((m) => formatRange(m.range) === formatRange(r.range))))
    .map((r) => `${formatRange(r.range)} ${resolutionLabel(r)}`)
    .sort();
  const expected = c.marks.map((m) => `${formatRange(m.range)} ${m.label}`);
  for (const section of c.sections.filter((x) => x.header === 'empty')) {
    for (const line of section.body.split('\n').map((l) => l.trim()).filter((l) => l !== '')) {
      const m = /^(\d+):(\d+) (.*)$/.exec(line);
      assert.ok(m, `${c.name}: bad line in --- empty: ${line}`);
      expected.push(`${m[1]}:${m[2]}-${m[1]}:${m[2]} ${m[3]}`);
    }
  }
  expected.sort();
  const all = () => model.refs.map((r) => `  ${r.kind} ${JSON.stringify(r.value)} ${formatRange(r.range)} ${resolutionLabel(r)}`).join('\n');
  assert.deepEqual(actual, expected, `${c.name} (${variant}): references differ; all references:\n${all()}`);
  for (const section of c.sections) {
    if (section.header === 'stages') {
      assert.equal(stageLines(model), section.body.trim().split('\n').map((l) => l.trim()).join('\n'), `${c.name} (${variant}): stages differ`);
    }
  }
  // Invariants that hold for every model.
  for (const s of model.stages) {
    for (const d of s.dependsOn) assert.ok(model.stages[d].usedBy.includes(s.index), `${c.name}: ${s.index} → ${d} missing in usedBy`);
    // Incoming references resolve to the stage, or are ONBUILD triggers that find it where they run.
    for (const r of s.incoming) assert.deepEqual((r.resolution.kind === 'stage' || r.resolution.kind === 'deferred') && r.resolution.stage, s.index);
  }
  for (const r of model.refs) assert.equal(model.stages[r.owner].refs.includes(r), true);
}

const cases = loadSuite('model');

for (const c of cases) {
  const file = c.file.split(/[\\/]/).pop()!;
  test(`${file}: ${c.name}`, () => checkCase(c, c.text, 'LF'));
  test(`${file}: ${c.name} (CRLF)`, () => checkCase(c, c.text.replace(/\n/g, '\r\n'), 'CRLF'));
}

test('stageAt, refAt and declarationAt find what is under the cursor', () => {
  const text = [
    'ARG BASE=alpine', //                 0
    'FROM ${BASE} AS build', //           1
    'RUN make', //                        2
    '', //                                3
    'FROM scratch AS final', //           4
    'COPY --from=build /out /out', //     5
  ].join('\n');
  const model = analyzeText(text);
  assert.equal(model.stageAt({ line: 0, character: 3 }), undefined);
  assert.equal(model.stageAt({ line: 3, character: 0 })?.index, 0);
  assert.equal(model.stageAt({ line: 5, character: 0 })?.index, 1);
  const ref = model.refAt({ line: 5, character: 14 });
  assert.equal(ref?.value, 'build');
  assert.equal(model.refAt({ line: 5, character: 17 })?.value, 'build', 'the end of the value still touches it');
  assert.equal(model.refAt({ line: 5, character: 19 }), undefined);
  assert.equal(model.declarationAt({ line: 1, character: 18 })?.name, 'build');
  assert.equal(model.declarationAt({ line: 1, character: 8 }), undefined);
  assert.deepEqual(model.stages[0].incoming.map((r) => r.range.start.line), [5]);
});

test('stageForTarget is case-insensitive and finds the last definition (dockerfile2llb findStateByName)', () => {
  const model = analyzeText('FROM alpine AS dev\nFROM alpine AS Dev\nFROM alpine AS prod\n');
  assert.equal(model.stageForTarget('DEV')?.index, 1);
  assert.equal(model.stageForTarget('prod')?.index, 2);
  assert.equal(model.stageForTarget('stage-0'), undefined, 'stage-N is a display name only');
  assert.equal(model.targetIndex, 2);
  assert.deepEqual(model.reachableFrom(1), [1]);
});

test('displayName: the name as written, or `stage N` as the outline shows an unnamed stage (not BuildKit\'s stage-N, no --target)', () => {
  const model = analyzeText('FROM alpine\nFROM alpine AS Build\n');
  assert.equal(model.displayName(model.stages[0]), 'stage 0');
  assert.equal(model.displayName(model.stages[1]), 'Build');
  assert.equal(model.stages[1].key, 'build');
});

test('global ARGs, directives and the escape character are kept', () => {
  const model = analyzeText('# syntax=docker/dockerfile:1\n# escape=`\nARG A=1\nARG B\nFROM alpine\n');
  assert.equal(model.escapeChar, '`');
  assert.deepEqual(model.directives.map((d) => d.name), ['syntax', 'escape']);
  assert.deepEqual(model.globalArgs.map((a) => [a.name, a.defaultValue]), [['A', '1'], ['B', undefined]]);
  assert.equal(model.lineCount, 6);
});

test('a file without FROM has no stages and no target', () => {
  const model = analyzeText('ARG A\nRUN true\n');
  assert.equal(model.stages.length, 0);
  assert.equal(model.targetIndex, undefined);
  assert.deepEqual(model.preamble.map((i) => i.keyword), ['ARG', 'RUN']);
});

test('a megabyte-long line of words keeps every position, and what follows it resolves', () => {
  const blob = 'ab '.repeat(400_000);
  const text = `FROM alpine AS a\nRUN echo ${blob}--from=a\nFROM a\nCOPY --from=a /x /y\n`;
  const model = analyzeText(text);
  const run = model.stages[0].syntax.instructions[1];
  assert.equal(run.keyword, 'RUN');
  assert.deepEqual(run.range.end, { line: 1, character: `RUN echo ${blob}--from=a`.length });
  assert.deepEqual(model.refs.map((r) => [r.kind, r.range.start.line, r.resolution.kind]), [
    ['from', 0, 'image'],
    ['from', 2, 'stage'],
    ['copy', 3, 'stage'],
  ]);
});

test('a long line with quotes in its middle is parsed as written', () => {
  const text = `FROM alpine AS a\nRUN echo "${'x'.repeat(20_000)} --from=b"\n`;
  const model = analyzeText(text);
  assert.equal(model.stages[0].syntax.instructions.length, 2);
  assert.deepEqual(model.refs.map((r) => r.kind), ['from']);
});

test('a lone CR is no line break to BuildKit (parser.go scanLines splits at \\n): positions stay the editor\'s', () => {
  // Old Mac line endings: the whole file is one FROM line to BuildKit.
  const macOnly = analyzeText('FROM alpine AS build\rRUN true\rFROM build\r');
  assert.equal(macOnly.stages.length, 1);
  assert.deepEqual(macOnly.stages[0].syntax.from.args.map((a) => a.text).slice(0, 4), ['alpine', 'AS', 'build', 'RUN']);
  assert.equal(macOnly.lineCount, 4, 'the editor counts four lines');
  assert.deepEqual(macOnly.stages[0].syntax.from.args[3].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } });
  // One stray CR inside a RUN: the instructions after it keep their lines, in the editor's count.
  const stray = analyzeText('FROM alpine AS build\nRUN echo a\rb\nFROM alpine\nCOPY --from=build / /\n');
  assert.equal(stray.stages.length, 2);
  const copy = stray.refs.find((r) => r.kind === 'copy')!;
  assert.deepEqual(copy.range, { start: { line: 4, character: 12 }, end: { line: 4, character: 17 } });
  assert.deepEqual(copy.resolution, { kind: 'stage', stage: 0 });
  assert.equal(stray.lineCount, 6);
});
