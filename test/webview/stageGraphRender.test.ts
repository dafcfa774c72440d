/**
 * The stage-graph webview, for real: the exact HTML the panel serves (client/src/stageGraphHtml.ts)
 * with the bundled script (dist/stageGraphView.js), in headless Chromium (Debian's
 * /usr/bin/chromium, driven by playwright-core; skipped with the reason when it is missing).
 *
 * The page is opened by webviewPage.ts (a fake `acquireVsCodeApi` records what the page posts,
 * and throws if the page acquires it twice, as VS Code's does); the test plays the panel's part:
 * it answers 'ready' with the graph of a small Dockerfile, sets VS Code's theme variables and
 * body class, clicks nodes and checks the reveal messages. Every request is answered by the test
 * (the page and its script) or refused and recorded: the page must fetch nothing else. A
 * screenshot goes to test-results/stage-graph.png.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'path';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageGraph, stageGraph } from '../../server/src/features/stageGraph';
import { stageGraphCsp, stageGraphHtml } from '../../client/src/stageGraphHtml';
import { isFromStageGraphView } from '../../client/src/stageGraphMessages';
import { chromiumSkipReason, NONCE, openWebviewPage, ORIGIN, PAGE_URL, SCRIPT_URL } from './webviewPage';
import { repoRoot } from '../support/fixtures';

// What the functions passed to page.evaluate use in the page (this suite has no DOM library).
interface Posted { type: string; line?: number }
declare const window: {
  __posted: Posted[];
  __violations: string[];
  postMessage(message: unknown, targetOrigin: string): void;
};
declare const document: {
  documentElement: { style: { setProperty(name: string, value: string): void } };
  body: { className: string; dataset: Record<string, string | undefined> };
};

const CSP_SOURCE = ORIGIN;

const DOCKERFILE = [
  '# syntax=docker/dockerfile:1',               // 0
  'ARG GO_VERSION=1.22',                        // 1
  'FROM golang:${GO_VERSION} AS build',         // 2  stage 0
  'RUN --mount=type=cache,target=/root/.cache go build -o /out/app .', // 3
  '',                                           // 4
  'FROM build AS test',                         // 5  stage 1
  'RUN go test ./...',                          // 6
  '',                                           // 7
  'FROM alpine:3.20 AS assets',                 // 8  stage 2
  'RUN --mount=from=build,target=/b ls /b',     // 9
  '',                                           // 10
  'FROM scratch AS debug.tools_v2',             // 11 stage 3 (not built)
  'COPY --from=build /out/app /app',            // 12
  '',                                           // 13
  'FROM alpine:3.20 AS release',                // 14 stage 4 (target)
  'COPY --from=build /out/app /usr/local/bin/app', // 15
  'COPY --from=assets /srv /srv',               // 16
].join('\n');

const LIGHT = {
  bodyClass: 'vscode-light',
  vars: {
    '--vscode-editor-foreground': '#3b3b3b',
    '--vscode-editor-background': '#ffffff',
    '--vscode-focusBorder': '#005fb8',
    '--vscode-disabledForeground': 'rgba(97, 97, 97, 0.5)',
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
  },
  accent: '#005fb8',
  muted: '#616161',
  foreground: '#3b3b3b',
};
const DARK = {
  bodyClass: 'vscode-dark',
  vars: {
    '--vscode-editor-foreground': '#cccccc',
    '--vscode-editor-background': '#1f1f1f',
    '--vscode-focusBorder': '#0078d4',
    '--vscode-disabledForeground': 'rgba(204, 204, 204, 0.5)',
    '--vscode-font-family': 'system-ui, "Ubuntu", "Droid Sans", sans-serif',
    '--vscode-font-size': '13px',
  },
  accent: '#0078d4',
  muted: '#cccccc',
  foreground: '#cccccc',
};

function pageHtml(): string {
  return stageGraphHtml({ cspSource: CSP_SOURCE, nonce: NONCE, scriptUri: SCRIPT_URL, fileName: 'Dockerfile' });
}

test('the page is strict: a CSP with no inline script, no eval, no remote source', () => {
  const html = pageHtml();
  const metas = [...html.matchAll(/<meta http-equiv="Content-Security-Policy" content="([^"]*)">/g)];
  assert.equal(metas.length, 1, 'one CSP meta tag');
  assert.ok(html.indexOf(metas[0][0]) < html.indexOf('<style'), 'the CSP comes before any style or script');
  const csp = metas[0][1].replace(/&#39;/g, "'");
  assert.equal(csp, stageGraphCsp(CSP_SOURCE, NONCE));
  const directives = new Map(csp.split(';').map((d) => d.trim()).filter(Boolean).map((d) => {
    const [name, ...values] = d.split(/\s+/);
    return [name, values] as const;
  }));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${NONCE}'`, "'wasm-unsafe-eval'"]);
  assert.deepEqual(directives.get('style-src'), [CSP_SOURCE, `'nonce-${NONCE}'`]);
  assert.deepEqual(directives.get('img-src'), [CSP_SOURCE, 'data:']);
  assert.deepEqual([...directives.keys()].sort(), ['default-src', 'img-src', 'script-src', 'style-src']);
  assert.doesNotMatch(csp, /'unsafe-inline'|'unsafe-eval'|\*|https?:(?!\/\/webview\.stage-graph\.test)/);
  // Every script and style element carries the nonce; no inline handlers or style attributes.
  for (const m of html.matchAll(/<(script|style)\b[^>]*>/g)) assert.ok(m[0].includes(`nonce="${NONCE}"`), m[0]);
  assert.doesNotMatch(html, /\son[a-z]+=|\sstyle=|<link\b|<img\b|https?:\/\/(?!webview\.stage-graph\.test)/);
  assert.ok(html.includes(`<script nonce="${NONCE}" src="${SCRIPT_URL}"></script>`));
  assert.throws(() => stageGraphHtml({ cspSource: CSP_SOURCE, nonce: "x' 'unsafe-inline", scriptUri: SCRIPT_URL }));
});

test('the panel accepts only the messages the page may post', () => {
  assert.ok(isFromStageGraphView({ type: 'ready' }));
  assert.ok(isFromStageGraphView({ type: 'reveal', line: 3 }));
  for (const bad of [null, 'reveal', { type: 'reveal' }, { type: 'reveal', line: -1 }, { type: 'reveal', line: 1.5 }, { type: 'reveal', line: '2' }, { type: 'other' }]) {
    assert.equal(isFromStageGraphView(bad), false, JSON.stringify(bad));
  }
});

test('the webview renders the graph in Chromium, follows the theme and reveals a clicked stage', { skip: chromiumSkipReason, timeout: 120_000 }, async (t) => {
  const graph: StageGraph = stageGraph(analyzeText(DOCKERFILE));
  assert.deepEqual(graph.stages.map((s) => [s.label, s.line, s.reachable, s.target]), [
    ['build', 2, true, false], ['test', 5, false, false], ['assets', 8, true, false], ['debug.tools_v2', 11, false, false], ['release', 14, true, true],
  ]);

  const opened = await openWebviewPage({ width: 960, height: 560 });
  t.after(() => opened.close());
  const { page, requests, refused, pageErrors } = opened;
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.equal(csp, stageGraphCsp(CSP_SOURCE, NONCE));

  const setTheme = (theme: typeof LIGHT) => page.evaluate(({ bodyClass, vars }) => {
    for (const [k, v] of Object.entries(vars)) document.documentElement.style.setProperty(k, v);
    document.body.className = bodyClass;
  }, theme);
  const renders = async () => Number(await page.getAttribute('body', 'data-renders') ?? '0');
  const post = (message: unknown) => page.evaluate((m) => window.postMessage(m, '*'), message);
  const stroke = (index: number) => page.getAttribute(`#graph g.node#stage-${index} > path`, 'stroke');

  // Light theme, then the graph: one node per stage, the target in the accent colour.
  await setTheme(LIGHT);
  await post({ type: 'graph', graph });
  await page.waitForSelector('#graph svg g.node#stage-4');
  await page.waitForSelector('body[data-render="graph"]');
  assert.equal(await page.locator('#graph svg g.node').count(), graph.stages.length, 'one node per stage');
  assert.equal(await page.locator('#graph svg g.edge').count(), graph.edges.length, 'one edge per graph edge');
  const ids = await page.$$eval('#graph svg g.node', (nodes) => nodes.map((n) => n.id));
  assert.deepEqual(ids, graph.stages.map((s) => `stage-${s.index}`));
  assert.deepEqual(await page.$$eval('#graph svg g.node.target', (nodes) => nodes.map((n) => n.id)), ['stage-4']);
  assert.equal(await stroke(4), LIGHT.accent);
  assert.equal(await page.getAttribute('#graph g.node#stage-4 > path', 'stroke-width'), '3');
  assert.equal(await stroke(3), LIGHT.muted, 'a stage the target does not build is greyed');
  assert.equal(await stroke(0), LIGHT.foreground);
  assert.deepEqual(await page.$$eval('#graph g.node#stage-3 text', (ts) => ts.map((t) => t.textContent)), ['debug.tools_v2', 'FROM scratch', '(not built)']);
  assert.equal(await page.textContent('#summary'), '5 stages · target: release · 2 not built by default');
  assert.equal(await page.isHidden('#message'), true);
  assert.equal(await page.getAttribute('#graph g.node#stage-4', 'role'), 'button');
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph-light.png'), fullPage: true });

  // A theme change (VS Code switches the body class and the variables) draws it again.
  const before = await renders();
  await setTheme(DARK);
  await page.waitForFunction((n) => Number(document.body.dataset.renders) > n, before);
  await page.waitForSelector('body[data-render="graph"]');
  assert.equal(await stroke(4), DARK.accent);
  assert.equal(await stroke(0), DARK.foreground);
  assert.equal(await page.getAttribute('#graph g.node#stage-3 > path', 'stroke-opacity'), '0.501961', 'muted keeps the theme colour\'s alpha');
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph.png'), fullPage: true });

  // A click on a node posts its FROM line; so does Enter on a focused node.
  const reveals = () => page.evaluate(() => window.__posted.filter((m) => m.type === 'reveal'));
  await page.click('#graph g.node#stage-2');
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'reveal'));
  assert.deepEqual(await reveals(), [{ type: 'reveal', line: 8 }]);
  await page.focus('#graph g.node#stage-4');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__posted.filter((m) => m.type === 'reveal').length === 2);
  assert.deepEqual(await reveals(), [{ type: 'reveal', line: 8 }, { type: 'reveal', line: 14 }]);

  // An empty file, then an error the panel reports, then a graph again.
  await post({ type: 'graph', graph: stageGraph(analyzeText('# nothing yet\n')) });
  await page.waitForSelector('body[data-render="empty"]');
  assert.equal(await page.locator('#graph svg').count(), 0);
  assert.match((await page.textContent('#message')) ?? '', /no FROM instruction/);
  await post({ type: 'error', message: 'The stage graph is not available: server stopped' });
  await page.waitForSelector('#message.error');
  assert.equal(await page.textContent('#message'), 'The stage graph is not available: server stopped');
  await post({ type: 'graph', graph });
  await page.waitForSelector('#graph svg g.node#stage-4');
  await page.waitForSelector('#message[hidden]', { state: 'attached' });

  assert.deepEqual(refused, [], 'the page requested nothing but itself and its script');
  assert.deepEqual(requests, [PAGE_URL, SCRIPT_URL]);
  assert.deepEqual(await page.evaluate(() => window.__violations), [], 'no CSP violation');
  assert.deepEqual(pageErrors, []);
});
