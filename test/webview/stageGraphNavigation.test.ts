/**
 * The stage-graph webview at moby's size (moby's Dockerfile from the real corpus: 59 stages, a
 * graph about 2,650 × 1,300 units), in headless Chromium in a side panel's shape, driven as a
 * person would: it opens readable around the stage under the cursor, which is highlighted and
 * followed; + and −, Ctrl+wheel and the toolbar zoom, dragging pans without selecting text;
 * Ctrl+F finds a stage and Enter steps through the matches; focus mode hides unrelated stages;
 * Tab and Enter reach and reveal stages; the view is posted for the panel to keep per file and
 * restored from it. A generated 1,000-stage file is drawn too. Screenshots go to test-results/.
 *
 * Skipped, saying so, without Chromium or without the corpus (../shared/corpus/real).
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Page } from 'playwright-core';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageGraph, stageGraph } from '../../server/src/features/stageGraph';
import { relatedStages, searchStages, stageAtLine } from '../../client/src/stageGraphLogic';
import type { StageGraphViewReport, StageGraphViewState } from '../../client/src/stageGraphMessages';
import { generateDockerfile } from '../bench/generateDockerfile';
import { repoRoot } from '../support/fixtures';
import { WebviewPage, chromiumSkipReason, openWebviewPage } from './webviewPage';

// The page's globals, as the functions passed to page.evaluate use them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const document: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare const window: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
declare function getComputedStyle(el: any): { fontSize: string; display: string };

const MOBY = path.join(repoRoot(), '..', 'shared', 'corpus', 'real', 'moby__moby__Dockerfile');
const mobySkip = chromiumSkipReason ?? (fs.existsSync(MOBY) ? undefined : `moby's Dockerfile is not in the corpus (${path.relative(repoRoot(), MOBY)}): the graph is not tried at its size`);
const MOBY_URI = 'file:///workspace/moby/Dockerfile';
const SMALL_URI = 'file:///workspace/small/Dockerfile';
/** A side panel beside the editor. */
const VIEWPORT = { width: 560, height: 820 };

/** Where a stage is drawn, in the panel's pixels, and how big its name reads. */
interface Placement {
  left: number; top: number; right: number; bottom: number;
  /** The graph area's size. */
  width: number; height: number;
  /** The name's font size on screen, in pixels. */
  namePx: number;
  detailsShown: boolean;
}

function placement(page: Page, index: number): Promise<Placement | null> {
  return page.evaluate((i: number) => {
    const node = document.querySelector(`#graph g.node#stage-${i}`);
    if (!node) return null;
    const area = document.getElementById('graph').getBoundingClientRect();
    const r = node.querySelector('path').getBoundingClientRect();
    const name = node.querySelector('text.name');
    const detail = node.querySelector('text.detail');
    return {
      left: r.left - area.left, top: r.top - area.top, right: r.right - area.left, bottom: r.bottom - area.top,
      width: area.width, height: area.height,
      namePx: parseFloat(getComputedStyle(name).fontSize) * name.getScreenCTM().a,
      detailsShown: detail ? getComputedStyle(detail).display !== 'none' : false,
    };
  }, index);
}

const zoom = async (page: Page) => Number(await page.getAttribute('body', 'data-zoom'));
const still = (page: Page) => page.waitForSelector('body[data-camera="still"]', { state: 'attached' });
const rendersNow = async (page: Page) => Number(await page.getAttribute('body', 'data-renders') ?? '0');
const nextRender = (page: Page, after: number) =>
  page.waitForFunction((n: number) => Number(document.body.dataset.renders) > n && document.body.dataset.render === 'graph', after);
const shownStages = (page: Page) => page.$$eval('#graph g.node', (nodes: { id: string }[]) => nodes.map((n) => Number(n.id.replace('stage-', ''))));

function inside(p: Placement): boolean {
  return p.left >= 0 && p.top >= 0 && p.right <= p.width && p.bottom <= p.height;
}

async function waitZoom(page: Page, accept: (z: number) => boolean, what: string): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    await still(page);
    const z = await zoom(page);
    if (accept(z)) return z;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; zoom is ${z}`);
    await page.waitForFunction((old: string) => document.body.dataset.zoom !== old, String(z), { timeout: 10_000 });
  }
}

async function open(): Promise<WebviewPage & { graph: StageGraph }> {
  const w = await openWebviewPage(VIEWPORT);
  const graph = stageGraph(analyzeText(fs.readFileSync(MOBY, 'utf8')));
  return Object.assign(w, { graph });
}

test('moby\'s graph opens readable around the cursor\'s stage, which is highlighted and followed', { skip: mobySkip, timeout: 120_000 }, async (t) => {
  const w = await open();
  t.after(() => w.close());
  const { page, graph } = w;
  assert.equal(graph.stages.length, 59);
  const runcBuild = graph.stages.find((s) => s.label === 'runc-build')!;
  const cursorLine = runcBuild.line + 5;
  assert.equal(stageAtLine(graph.stages, cursorLine), runcBuild.index);

  await w.post({ type: 'graph', graph, document: { uri: MOBY_URI, name: 'Dockerfile' }, cursorLine, viewState: null });
  await page.waitForSelector('body[data-render="graph"]');
  await still(page);
  assert.deepEqual(await page.$$eval('#graph g.node.cursor', (ns: { id: string }[]) => ns.map((n) => n.id)), [`stage-${runcBuild.index}`], 'the cursor\'s stage, and only it, is highlighted');
  const p = (await placement(page, runcBuild.index))!;
  t.diagnostic(`opened at ${(await zoom(page)).toFixed(3)}; runc-build at ${JSON.stringify(p)}`);
  assert.ok(inside(p), `runc-build is in view: ${JSON.stringify(p)}`);
  assert.ok(p.namePx >= 10, `its name reads at ${p.namePx.toFixed(1)} px`);
  const cx = (p.left + p.right) / 2;
  const cy = (p.top + p.bottom) / 2;
  assert.ok(Math.abs(cx - p.width / 2) < p.width * 0.15 && Math.abs(cy - p.height / 2) < p.height * 0.15, `centred: (${cx}, ${cy}) in ${p.width} × ${p.height}`);
  assert.ok((await zoom(page)) < 1, 'moby does not fit at 100 %');
  assert.match((await page.textContent('#zoom-level')) ?? '', /^\d+ %$/);
  assert.equal(await page.evaluate(() => document.getElementById('graph').scrollTop), 0);
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph-moby-open.png') });

  // The cursor moves to another stage in the editor: the highlight follows, and so does the view.
  const tiniBuild = graph.stages.find((s) => s.label === 'tini-build')!;
  await w.post({ type: 'cursor', uri: MOBY_URI, line: tiniBuild.line + 2 });
  await page.waitForSelector(`#graph g.node.cursor#stage-${tiniBuild.index}`);
  await still(page);
  assert.equal(await page.locator('#graph g.node.cursor').count(), 1);
  assert.ok(inside((await placement(page, tiniBuild.index))!), 'the new cursor stage is in view');
  // A cursor in another document is not this graph's.
  await w.post({ type: 'cursor', uri: SMALL_URI, line: runcBuild.line });
  await w.post({ type: 'queryState', id: 7 });
  await page.waitForFunction(() => window.__posted.some((m: { type: string; id?: number }) => m.type === 'state' && m.id === 7));
  const state = (await w.posted()).find((m) => m.type === 'state' && m.id === 7)!.report as StageGraphViewReport;
  assert.equal(state.uri, MOBY_URI);
  assert.equal(state.cursorStage, tiniBuild.index);
  assert.deepEqual(state.highlighted, [tiniBuild.index]);
  assert.equal(state.shown.length, 59);
  assert.equal(state.focus, false);

  assert.deepEqual(w.refused, []);
  assert.deepEqual(await w.violations(), []);
  assert.deepEqual(w.pageErrors, []);
});

test('moby\'s graph: zoom, pan, search, focus mode, Tab and Enter, the view kept per file', { skip: mobySkip, timeout: 120_000 }, async (t) => {
  const w = await open();
  t.after(() => w.close());
  const { page, graph } = w;
  const dev = graph.stages.find((s) => s.label === 'dev')!;
  await w.post({ type: 'graph', graph, document: { uri: MOBY_URI, name: 'Dockerfile' }, cursorLine: dev.line, viewState: null });
  await page.waitForSelector('body[data-render="graph"]');
  await still(page);

  // + and − zoom in steps, around the middle; the level shown follows.
  await page.focus('#graph');
  const z0 = await zoom(page);
  await page.keyboard.press('+');
  const z1 = await waitZoom(page, (z) => z > z0 * 1.2, 'a zoom in');
  assert.equal(await page.textContent('#zoom-level'), `${Math.round(z1 * 100)} %`);
  await page.keyboard.press('-');
  await page.keyboard.press('-');
  const z2 = await waitZoom(page, (z) => z < z0 * 0.9, 'two zooms out');
  assert.ok(z2 < z1);

  // 0 fits the whole graph: every stage in view; zoomed out so far, the names only.
  await page.keyboard.press('0');
  await waitZoom(page, (z) => z < z2 * 0.9, 'the whole graph');
  for (const s of [0, 29, 58]) assert.ok(inside((await placement(page, s))!), `stage ${s} is in view when fitted`);
  assert.equal(await page.getAttribute('body', 'data-detail'), 'names');
  const fitted = (await placement(page, dev.index))!;
  assert.equal(fitted.detailsShown, false, 'the details under a name are hidden when they would be unreadable');
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph-moby-fit.png') });

  // 1 is 100 %: details back.
  await page.keyboard.press('1');
  await waitZoom(page, (z) => Math.abs(z - 1) < 1e-3, '100 %');
  assert.equal(await page.getAttribute('body', 'data-detail'), 'full');

  // Ctrl+wheel (and a pinch, which Chromium sends as a wheel with ctrlKey) zooms at the pointer:
  // the stage under it stays under it.
  await page.keyboard.press('c');
  await still(page);
  const before = (await placement(page, dev.index))!;
  const area = await page.locator('#graph').boundingBox();
  const px = area!.x + (before.left + before.right) / 2;
  const py = area!.y + (before.top + before.bottom) / 2;
  await page.mouse.move(px, py);
  const zBefore = await zoom(page);
  await page.keyboard.down('Control');
  await page.mouse.wheel(0, 240);
  await page.keyboard.up('Control');
  const zWheel = await waitZoom(page, (z) => z < zBefore * 0.8, 'a Ctrl+wheel zoom out');
  const after = (await placement(page, dev.index))!;
  assert.ok(Math.abs((after.left + after.right) / 2 - (before.left + before.right) / 2) < 2, 'the point under the pointer stays');
  assert.ok(zWheel > 0);

  // Dragging pans, selects no text and reveals nothing.
  const revealsBefore = (await w.posted()).filter((m) => m.type === 'reveal').length;
  await page.mouse.move(px, py);
  await page.mouse.down();
  // (dev is the last stage, at the graph's right edge: dragged the other way the view would stop there)
  await page.mouse.move(px + 60, py + 40, { steps: 6 });
  await page.mouse.move(px + 120, py + 80, { steps: 6 });
  await page.mouse.up();
  await still(page);
  const dragged = (await placement(page, dev.index))!;
  assert.ok(Math.abs(dragged.left - after.left - 120) < 2 && Math.abs(dragged.top - after.top - 80) < 2, `moved with the pointer: ${JSON.stringify([after, dragged])}`);
  assert.equal(await page.evaluate(() => String(window.getSelection())), '', 'no text selected');
  assert.equal((await w.posted()).filter((m) => m.type === 'reveal').length, revealsBefore, 'a drag is not a click');

  // Ctrl+F finds: the exact name first, then Enter steps through the rest, each centred and readable.
  await page.keyboard.press('Control+F');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search');
  await page.keyboard.type('containerd');
  const expected = searchStages(graph.stages, 'containerd');
  assert.equal(graph.stages[expected[0]].label, 'containerd');
  await page.waitForSelector(`#graph g.node.match-current#stage-${expected[0]}`);
  assert.equal(await page.textContent('#search-count'), `1 of ${expected.length}`);
  await still(page);
  let found = (await placement(page, expected[0]))!;
  assert.ok(inside(found) && found.namePx >= 10, `the match is in view and readable: ${JSON.stringify(found)}`);
  await page.keyboard.press('Enter');
  await page.waitForSelector(`#graph g.node.match-current#stage-${expected[1]}`);
  await still(page);
  found = (await placement(page, expected[1]))!;
  assert.ok(inside(found) && found.namePx >= 10, `the next match is in view and readable: ${JSON.stringify(found)}`);
  assert.equal(await page.textContent('#search-count'), `2 of ${expected.length}`);
  assert.equal(await page.locator('#graph g.node.match').count(), expected.length - 1);
  await page.keyboard.press('Shift+Enter');
  await page.waitForSelector(`#graph g.node.match-current#stage-${expected[0]}`);
  await page.keyboard.press('Escape');
  assert.equal(await page.locator('#graph g.node.match, #graph g.node.match-current').count(), 0);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'graph');
  await page.keyboard.type('nothing-like-it');
  assert.equal(await page.locator('#graph g.node.match').count(), 0, 'typing in the graph is not a search');

  // Focus mode: only the cursor's stage, its ancestors and its dependents, laid out anew.
  const runcBuild = graph.stages.find((s) => s.label === 'runc-build')!;
  await w.post({ type: 'cursor', uri: MOBY_URI, line: runcBuild.line });
  await page.waitForSelector(`#graph g.node.cursor#stage-${runcBuild.index}`);
  let renders = await rendersNow(page);
  await page.keyboard.press('f');
  await nextRender(page, renders);
  const family = [...relatedStages(graph, runcBuild.index)].sort((a, b) => a - b);
  assert.deepEqual((await shownStages(page)).sort((a, b) => a - b), family);
  assert.ok(family.length < 20 && family.includes(runcBuild.index));
  assert.equal(await page.locator(`#graph g.node#stage-${graph.stages.find((s) => s.label === 'tini-build')!.index}`).count(), 0, 'an unrelated stage is hidden');
  assert.equal(await page.getAttribute('#focus-mode', 'aria-pressed'), 'true');
  assert.match((await page.textContent('#summary')) ?? '', /focus: \d+ around runc-build/);
  await still(page);
  assert.ok(inside((await placement(page, runcBuild.index))!));
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph-moby-focus.png') });
  // It follows the cursor to another stage's family.
  const tini = graph.stages.find((s) => s.label === 'tini-build')!;
  renders = await rendersNow(page);
  await w.post({ type: 'cursor', uri: MOBY_URI, line: tini.line + 1 });
  await nextRender(page, renders);
  assert.deepEqual((await shownStages(page)).sort((a, b) => a - b), [...relatedStages(graph, tini.index)].sort((a, b) => a - b));
  // The toolbar button turns it off.
  renders = await rendersNow(page);
  await page.click('#focus-mode');
  await nextRender(page, renders);
  assert.equal((await shownStages(page)).length, 59);

  // Tab reaches the stages one by one, each brought into view; Enter reveals the focused one.
  await page.focus('#graph');
  await page.keyboard.press('Tab');
  const first = await page.evaluate(() => document.activeElement.id);
  assert.match(first, /^stage-\d+$/);
  await page.keyboard.press('Tab');
  const second = await page.evaluate(() => document.activeElement.id);
  assert.match(second, /^stage-\d+$/);
  assert.notEqual(first, second);
  await still(page);
  const tabbed = Number(second.replace('stage-', ''));
  assert.ok(inside((await placement(page, tabbed))!), 'the focused stage is in view');
  assert.equal(await page.evaluate(() => document.getElementById('graph').scrollLeft + document.getElementById('graph').scrollTop), 0, 'focus scrolls nothing');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => window.__posted.some((m: { type: string }) => m.type === 'reveal'));
  const reveal = (await w.posted()).filter((m) => m.type === 'reveal').pop();
  assert.deepEqual(reveal, { type: 'reveal', line: graph.stages.find((s) => s.index === tabbed)!.line, uri: MOBY_URI });

  // The view is posted for the panel to keep: another file's graph, then moby's again with
  // what the panel kept, comes back as it was left.
  await page.focus('#graph');
  await page.keyboard.press('+');
  await still(page);
  await page.waitForFunction((z: number) => window.__posted.some((m: { type: string; state?: { zoom: number } }) => m.type === 'viewState' && Math.abs(m.state!.zoom - z) < 1e-3), await zoom(page));
  const kept = (await w.posted()).filter((m) => m.type === 'viewState' && m.uri === MOBY_URI).pop()!.state as StageGraphViewState;
  assert.equal(kept.mode, 'manual');
  const small = stageGraph(analyzeText('FROM alpine AS a\nFROM a AS b\n'));
  renders = await rendersNow(page);
  await w.post({ type: 'graph', graph: small, document: { uri: SMALL_URI, name: 'small/Dockerfile' }, cursorLine: 0, viewState: null });
  await nextRender(page, renders);
  await still(page);
  assert.equal(await page.locator('#graph g.node').count(), 2);
  assert.equal(await zoom(page), 1, 'two stages open at 100 %');
  for (const s of [0, 1]) assert.ok(inside((await placement(page, s))!), 'a two-stage graph fits the panel as it opens');
  assert.equal(await page.evaluate(() => document.title), 'Stages: small/Dockerfile');
  renders = await rendersNow(page);
  await w.post({ type: 'graph', graph, document: { uri: MOBY_URI, name: 'Dockerfile' }, cursorLine: dev.line, viewState: kept });
  await nextRender(page, renders);
  await still(page);
  assert.ok(Math.abs((await zoom(page)) - kept.zoom) < 1e-3, 'moby\'s zoom is back');

  assert.deepEqual(w.refused, []);
  assert.deepEqual(await w.violations(), []);
  assert.deepEqual(w.pageErrors, []);
});

test('a generated 1,000-stage file is drawn, readable around the cursor\'s stage', { skip: chromiumSkipReason, timeout: 120_000 }, async (t) => {
  const w = await openWebviewPage(VIEWPORT);
  t.after(() => w.close());
  const { page } = w;
  const graph = stageGraph(analyzeText(generateDockerfile(1000)));
  assert.equal(graph.stages.length, 1000);
  const subject = graph.stages[640];
  const started = Date.now();
  await w.post({ type: 'graph', graph, document: { uri: 'file:///workspace/generated/Dockerfile', name: 'Dockerfile' }, cursorLine: subject.line + 1, viewState: null });
  await page.waitForSelector('body[data-render="graph"]', { timeout: 60_000 });
  t.diagnostic(`1,000 stages and ${graph.edges.length} edges drawn in ${Date.now() - started} ms`);
  await still(page);
  assert.equal(await page.locator('#graph g.node').count(), 1000);
  const p = (await placement(page, subject.index))!;
  assert.ok(inside(p) && p.namePx >= 10, `the cursor's stage is in view and readable: ${JSON.stringify(p)}`);
  await page.screenshot({ path: path.join(repoRoot(), 'test-results', 'stage-graph-1000.png') });
  await page.keyboard.press('Control+F');
  await page.keyboard.type('bundle-998');
  await page.waitForSelector('#graph g.node.match-current#stage-998');
  await still(page);
  assert.ok(inside((await placement(page, 998))!));
  assert.deepEqual(w.pageErrors, []);
  assert.deepEqual(await w.violations(), []);
});
