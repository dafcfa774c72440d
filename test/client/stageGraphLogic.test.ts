/**
 * What the stage-graph view works out from the graph data (client/src/stageGraphLogic.ts): the
 * stage a line is in, focus mode's family of a stage, search; and the messages the panel accepts.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { stageGraph } from '../../server/src/features/stageGraph';
import { relatedStages, searchStages, stageAtLine, subgraph } from '../../client/src/stageGraphLogic';
import { isFromStageGraphView, isViewState } from '../../client/src/stageGraphMessages';

const TEXT = [
  'ARG BASE=alpine',              // 0
  'FROM golang AS build',         // 1  stage 0
  'RUN go build',                 // 2
  'FROM build AS test',           // 3  stage 1
  'FROM alpine AS assets',        // 4  stage 2
  'FROM scratch AS unrelated',    // 5  stage 3
  'FROM alpine',                  // 6  stage 4 (unnamed)
  'COPY --from=build /a /a',      // 7
  'RUN --mount=from=assets,target=/x true', // 8
  'FROM stage4-like AS release-build', // 9 stage 5 (an image)
  'COPY --from=4 /b /b',          // 10
].join('\n');

test('the stage a line is in: the last FROM on or above it; none above the first', () => {
  const g = stageGraph(analyzeText(TEXT));
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 8, 9, 10, 99].map((l) => stageAtLine(g.stages, l)), [null, 0, 0, 1, 2, 3, 4, 4, 5, 5, 5]);
  assert.equal(stageAtLine(g.stages, null), null);
  assert.equal(stageAtLine([], 3), null);
});

test('focus mode\'s family: the stage, everything it is built from and everything built from it', () => {
  const g = stageGraph(analyzeText(TEXT));
  assert.deepEqual([...relatedStages(g, 4)].sort(), [0, 2, 4, 5], 'copies and mounts up, a numeric COPY --from down');
  assert.deepEqual([...relatedStages(g, 0)].sort(), [0, 1, 4, 5], 'what builds on it, through other stages too');
  assert.deepEqual([...relatedStages(g, 3)], [3], 'an unrelated stage alone');
  const sub = subgraph(g, relatedStages(g, 4));
  assert.deepEqual(sub.stages.map((s) => s.index), [0, 2, 4, 5]);
  assert.ok(sub.edges.every((e) => [0, 2, 4, 5].includes(e.from) && [0, 2, 4, 5].includes(e.to)));
  assert.equal(sub.edges.length, g.edges.filter((e) => e.from !== 1 && e.to !== 1 && e.from !== 3 && e.to !== 3).length);
});

test('search: names containing the query, ignoring case; the exact name first; an unnamed stage as `stage N`', () => {
  const g = stageGraph(analyzeText(TEXT));
  assert.deepEqual(searchStages(g.stages, 'BUILD'), [0, 5]);
  assert.deepEqual(searchStages(g.stages, 'build '), [0, 5], 'blanks around the query do not count');
  assert.deepEqual(searchStages(g.stages, 'release-build'), [5]);
  assert.deepEqual(searchStages(g.stages, 't'), [1, 2, 3, 4], 'in file order');
  assert.deepEqual(searchStages(g.stages, 'stage 4'), [4]);
  assert.deepEqual(searchStages(g.stages, '   '), []);
  const exactLast = stageGraph(analyzeText('FROM a AS app-base\nFROM a AS app\n'));
  assert.deepEqual(searchStages(exactLast.stages, 'app'), [1, 0], 'the stage named exactly so first');
});

test('the panel accepts only the messages the page may post', () => {
  const state = { mode: 'manual', zoom: 0.5, x: 10, y: 20, focus: true };
  assert.ok(isViewState(state));
  for (const bad of [null, { ...state, mode: 'other' }, { ...state, zoom: 0 }, { ...state, zoom: Infinity }, { ...state, x: '1' }, { ...state, focus: 1 }]) {
    assert.equal(isViewState(bad), false, JSON.stringify(bad));
  }
  assert.ok(isFromStageGraphView({ type: 'ready' }));
  assert.ok(isFromStageGraphView({ type: 'reveal', line: 3 }));
  assert.ok(isFromStageGraphView({ type: 'reveal', line: 3, uri: 'file:///a/Dockerfile' }));
  assert.ok(isFromStageGraphView({ type: 'viewState', uri: 'file:///a/Dockerfile', state }));
  assert.ok(isFromStageGraphView({ type: 'state', id: 1, report: {} }));
  for (const bad of [
    { type: 'reveal', line: 3, uri: 5 },
    { type: 'viewState', uri: 'file:///a', state: { ...state, zoom: -1 } },
    { type: 'viewState', state },
    { type: 'state', id: '1', report: {} },
    { type: 'state', id: 1 },
  ]) assert.equal(isFromStageGraphView(bad), false, JSON.stringify(bad));
});
