/**
 * The stage graph (server/src/features/stageGraph.ts): the exact graph of small Dockerfiles
 * (edge kinds, one edge per (from, to, kind), reachability, target), its agreement with the
 * model's dependsOn, and the DOT: one node per stage, styles, escaping. The DOT is also laid
 * out by Graphviz itself (@viz-js/viz, the same build the webview bundles) to check that it
 * parses and that escaped labels come out as written.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { DotTheme, StageGraph, dotLabel, dotString, stageGraph, toDot } from '../../server/src/features/stageGraph';
import { fixturePath } from '../support/fixtures';

const THEME: DotTheme = { foreground: '#3b3b3b', background: '#ffffff', accent: '#005fb8', muted: '#868686', fontFamily: 'Arial' };

type Viz = Awaited<ReturnType<typeof import('@viz-js/viz', { with: { 'resolution-mode': 'import' } }).instance>>;
let vizPromise: Promise<Viz> | undefined;
/** @viz-js/viz is an ES module; this CommonJS suite loads it with a dynamic import. */
function viz(): Promise<Viz> {
  vizPromise ??= import('@viz-js/viz').then((m) => m.instance());
  return vizPromise;
}

async function renderSvg(dot: string): Promise<string> {
  const r = (await viz()).render(dot, { format: 'svg' });
  assert.equal(r.status, 'success', JSON.stringify(r.errors));
  assert.deepEqual(r.errors, [], 'Graphviz reports nothing, not even a warning');
  return r.output!;
}

function decodeXml(s: string): string {
  return s
    .replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)))
    .replace(/&#x([0-9a-f]+);/gi, (_, n: string) => String.fromCodePoint(parseInt(n, 16)))
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

/** The text lines of the SVG group with this id, decoded. */
function nodeTexts(svg: string, id: string): string[] {
  const encodedId = id.replace(/-/g, '&#45;');
  const start = svg.indexOf(`<g id="${encodedId}" class="node`);
  assert.notEqual(start, -1, `no node ${id} in the SVG`);
  const end = svg.indexOf('</g>', start);
  return [...svg.slice(start, end).matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => decodeXml(m[1]));
}

const SMALL = [
  'ARG VARIANT=alpine',                                   // 0
  'FROM golang:1.22 AS base',                             // 1  stage 0
  'FROM base AS build',                                   // 2  stage 1
  'RUN --mount=type=cache,from=base,target=/x go build', // 3
  'COPY --from=base /a /b',                               // 4
  'COPY --from=base /c /d',                               // 5
  'FROM build AS build-alpine',                           // 6  stage 2
  'FROM build AS build-debian',                           // 7  stage 3
  'FROM scratch AS unused',                               // 8  stage 4
  'COPY --from=build /x /y',                              // 9
  'COPY --from=nginx:latest /etc/nginx /etc/nginx',       // 10 an image: no edge
  'FROM build-${VARIANT} AS final',                       // 11 stage 5
  'COPY --from=build /out /out',                          // 12
  'COPY --from=0 /etc /etc',                              // 13
  'RUN --mount=from=build,target=/m true',                // 14
  'COPY --from=build /again /again',                      // 15 same edge again
].join('\n');

test('the exact graph of a small Dockerfile: kinds, one edge per (from, to, kind), reachability, target', () => {
  const graph = stageGraph(analyzeText(SMALL));
  assert.deepEqual(graph, {
    stages: [
      { index: 0, name: 'base', label: 'base', base: 'golang:1.22', line: 1, reachable: true, target: false },
      { index: 1, name: 'build', label: 'build', base: 'base', line: 2, reachable: true, target: false },
      { index: 2, name: 'build-alpine', label: 'build-alpine', base: 'build', line: 6, reachable: true, target: false },
      { index: 3, name: 'build-debian', label: 'build-debian', base: 'build', line: 7, reachable: true, target: false },
      { index: 4, name: 'unused', label: 'unused', base: 'scratch', line: 8, reachable: false, target: false },
      { index: 5, name: 'final', label: 'final', base: 'build-${VARIANT}', line: 11, reachable: true, target: true },
    ],
    edges: [
      { from: 1, to: 0, kind: 'base' },
      { from: 1, to: 0, kind: 'mount' },
      { from: 1, to: 0, kind: 'copy' },
      { from: 2, to: 1, kind: 'base' },
      { from: 3, to: 1, kind: 'base' },
      { from: 4, to: 1, kind: 'copy' },
      { from: 5, to: 2, kind: 'variable' },
      { from: 5, to: 3, kind: 'variable' },
      { from: 5, to: 1, kind: 'copy' },
      { from: 5, to: 0, kind: 'copy' },
      { from: 5, to: 1, kind: 'mount' },
    ],
  });
});

test('unnamed stages are labelled `stage N` as in the outline (not BuildKit\'s `stage-N`, which reads like a --target); a CRLF file gives the same lines', () => {
  const text = 'FROM alpine\nRUN true\nFROM busybox\nCOPY --from=0 /a /a\n';
  const graph = stageGraph(analyzeText(text.replace(/\n/g, '\r\n')));
  assert.deepEqual(graph.stages.map((s) => [s.name, s.label, s.base, s.line]), [[null, 'stage 0', 'alpine', 0], [null, 'stage 1', 'busybox', 2]]);
  assert.deepEqual(graph.edges, [{ from: 1, to: 0, kind: 'copy' }]);
});

test('ONBUILD COPY --from is an edge of the stages built FROM its stage, as the model counts it', () => {
  const graph = stageGraph(analyzeText(['FROM alpine AS assets', 'FROM alpine AS parent', 'ONBUILD COPY --from=assets /a /a', 'FROM parent AS child'].join('\n')));
  assert.deepEqual(graph.edges, [{ from: 2, to: 1, kind: 'base' }, { from: 2, to: 0, kind: 'copy' }]);
  assert.deepEqual(graph.stages.map((s) => s.reachable), [true, true, true]);
});

test('a stage naming itself is no edge; a COPY from a later stage is (BuildKit rejects it, the graph shows it)', () => {
  const graph = stageGraph(analyzeText(['FROM alpine AS a', 'COPY --from=a /x /y', 'COPY --from=b /x /y', 'FROM alpine AS b'].join('\n')));
  assert.deepEqual(graph.edges, [{ from: 0, to: 1, kind: 'copy' }]);
});

test('an empty or comment-only file has no stages and no edges', () => {
  assert.deepEqual(stageGraph(analyzeText('')), { stages: [], edges: [] });
  assert.deepEqual(stageGraph(analyzeText('# syntax=docker/dockerfile:1\n# nothing yet\n')), { stages: [], edges: [] });
});

test("the edges agree with the model's dependsOn, stage by stage", () => {
  const texts = [SMALL, fs.readFileSync(fixturePath('examples', 'multi-stage.Dockerfile'), 'utf8')];
  for (const text of texts) {
    const model = analyzeText(text);
    const graph = stageGraph(model);
    for (const s of model.stages) {
      const targets = new Set(graph.edges.filter((e) => e.from === s.index).map((e) => e.to));
      assert.deepEqual([...targets].sort((a, b) => a - b), [...s.dependsOn].sort((a, b) => a - b), `stage ${s.index}`);
    }
  }
});

test('the DOT has one node per stage with its id, and styles edges and nodes by kind and state', async () => {
  const graph = stageGraph(analyzeText(SMALL));
  const dot = toDot(graph, THEME);
  const nodeLines = dot.split('\n').filter((l) => /^\s*s\d+ \[/.test(l));
  assert.equal(nodeLines.length, graph.stages.length);
  graph.stages.forEach((s, i) => assert.ok(nodeLines[i].includes(`id="stage-${s.index}"`), nodeLines[i]));
  assert.match(dot, /rankdir=LR/);

  const node = (i: number) => nodeLines[i];
  assert.match(node(5), /class="stage target"/);
  assert.match(node(5), /color="#005fb8", penwidth=3/);
  assert.match(node(4), /class="stage unreachable"/);
  assert.match(node(4), /color="#868686", fontcolor="#868686"/);
  assert.doesNotMatch(node(0), /penwidth|#868686|#005fb8/);

  const edge = (from: number, to: number, kind: string) => dot.split('\n').find((l) => l.includes(`id="edge-${from}-${to}-${kind}"`));
  // Arrows follow the data, from the stage used to the stage that uses it.
  assert.match(edge(1, 0, 'base')!, /^\s*s0 -> s1 \[.*style=solid/);
  assert.match(edge(1, 0, 'copy')!, /style=dashed/);
  assert.match(edge(1, 0, 'mount')!, /style=dotted/);
  assert.match(edge(5, 2, 'variable')!, /style=dashed, color="#868686"/);
  assert.match(edge(4, 1, 'copy')!, /color="#868686"/, 'an edge of a stage that is not built is muted too');
  assert.doesNotMatch(edge(5, 1, 'copy')!, /color=/, 'other edges take the foreground');
  assert.equal(dot.split('\n').filter((l) => l.includes('->')).length, graph.edges.length);

  const svg = await renderSvg(dot);
  assert.equal((svg.match(/<g id="stage&#45;\d+" class="node/g) ?? []).length, graph.stages.length, 'one SVG node per stage');
  assert.equal((svg.match(/class="edge/g) ?? []).length, graph.edges.length);
  assert.deepEqual(nodeTexts(svg, 'stage-5'), ['final', 'FROM build-${VARIANT}', '(target)']);
  assert.deepEqual(nodeTexts(svg, 'stage-4'), ['unused', 'FROM scratch', '(not built)']);
  assert.deepEqual(nodeTexts(svg, 'stage-0'), ['base', 'FROM golang:1.22']);
});

test('labels are escaped: quotes, backslashes, newlines, ampersands and entities come out as written', async () => {
  const base = 'reg:5000/a_b-c.d:"q" \\path\\n & &lt; <x>';
  const graph: StageGraph = {
    stages: [
      { index: 0, name: 'my.stage-name_1', label: 'my.stage-name_1', base, line: 0, reachable: true, target: false },
      { index: 1, name: null, label: 'stage 1', base: 'x\ny\tz\u0007', line: 3, reachable: true, target: true },
    ],
    edges: [{ from: 1, to: 0, kind: 'copy' }],
  };
  const dot = toDot(graph, THEME);
  assert.ok(dot.includes('label="my.stage-name_1\\nFROM reg:5000/a_b-c.d:\\"q\\" \\\\path\\\\n &amp; &amp;lt; <x>"'), dot);
  assert.ok(dot.includes('label="stage 1\\nFROM x\\ny z\\n(target)"'), 'newline kept as a line break, tab as a space, control characters dropped');
  const svg = await renderSvg(dot);
  assert.deepEqual(nodeTexts(svg, 'stage-0'), ['my.stage-name_1', `FROM ${base}`]);
  assert.deepEqual(nodeTexts(svg, 'stage-1'), ['stage 1', 'FROM x', 'y z', '(target)']);
});

test('long bases are cut with an ellipsis', () => {
  const long = 'registry.example.com/team/project/image:1.2.3@sha256:0123456789abcdef';
  const dot = toDot({ stages: [{ index: 0, name: null, label: 'stage 0', base: long, line: 0, reachable: true, target: true }], edges: [] }, THEME);
  assert.ok(dot.includes(`FROM ${long.slice(0, 39)}…\\n`), dot);
});

test('theme values are quoted and checked: anything but a hex colour or a colour name falls back', async () => {
  const graph = stageGraph(analyzeText('FROM alpine AS a\nFROM a AS b\n'));
  const dot = toDot(graph, {
    foreground: '#abc',
    background: 'rgba(1, 2, 3, 0.5)',
    accent: '#00ff0080',
    muted: '"];evil[label="x',
    fontFamily: 'Font "with" quotes, sans-serif',
  });
  assert.match(dot, /color="#aabbcc"/);
  assert.match(dot, /fillcolor="#ffffff"/);
  assert.match(dot, /s1 \[.*color="#00ff0080"/);
  assert.doesNotMatch(dot, /evil/);
  assert.match(dot, /fontname="Font \\"with\\" quotes, sans-serif"/);
  const r = (await viz()).render(dot, { format: 'svg' });
  assert.equal(r.status, 'success', JSON.stringify(r.errors));
});

test('an empty graph is a valid DOT graph without nodes', async () => {
  const dot = toDot({ stages: [], edges: [] }, THEME);
  assert.doesNotMatch(dot, /^\s*s\d+ \[/m);
  const svg = await renderSvg(dot);
  assert.doesNotMatch(svg, /class="node/);
});

test('dotString and dotLabel', () => {
  assert.equal(dotString('a"b\\c'), '"a\\"b\\\\c"');
  assert.equal(dotString('l1\nl2\r\tx\u0000'), '"l1\\nl2  x"');
  assert.equal(dotLabel('a & b'), '"a &amp; b"');
});
