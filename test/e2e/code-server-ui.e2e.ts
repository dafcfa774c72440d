/**
 * What a person sees in VS Code: code-server with the packaged .vsix installed
 * (`code-server --install-extension dockerfile-stages.vsix`), driven through Debian's Chromium
 * with playwright-core, keyboard first. Checks, on a copy of test/fixtures/e2e:
 *   - the CodeLens title above each FROM (naming the fixture's Compose and Bake builds), and the
 *     menu a click on one opens: its heading naming the stage, its entries, "Go to its base"
 *     going there (the other stage commands: stage-commands-ui.e2e.ts);
 *   - the squiggle under a broken --from and its entry in the Problems panel;
 *   - F12 on a --from name lands on the stage's FROM line (the status bar's cursor position);
 *   - F2 renames the declaration and every named use, and nothing else;
 *   - Ctrl+. offers a quick fix naming the stage and applies it (only when the server advertises
 *     codeActionProvider; otherwise the test is skipped, saying so);
 *   - Dockerfile Stages: Show Stage Graph renders the graph (an SVG in the webview) with the
 *     cursor's stage highlighted, follows the cursor, finds a stage on Ctrl+F, and follows the
 *     active editor to another Dockerfile (one panel, retitled); with the corpus there, moby's
 *     Dockerfile opens readable around the cursor's stage (the README's screenshot);
 *   - in Restricted Mode (workspace trust on, folder not trusted) the diagnostics and CodeLens
 *     are there but the lens menu has no build action.
 * Screenshots of each step go to test-results/e2e/. Skipped, with the reason, without
 * code-server or Chromium.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, CodeServerTools, launchChromium, setupBrowserSuite } from './codeServer';
import { fixtureWorkspace, repoRoot, serverCapabilities, tempDir, vsixPath, waitFor } from './support';
import { cursorPosition, focusEditor, goTo, lensMenu, openWorkbench, quickOpen, renameBox, runCommand, shot, visibleLines, waitForCursor, waitForLens } from './workbench';

/** moby's Dockerfile in the real corpus beside the repository (shared/corpus/real), when it is there. */
const MOBY = path.join(repoRoot(), '..', 'shared', 'corpus', 'real', 'moby__moby__Dockerfile');

const setup = setupBrowserSuite();
const skip = 'skip' in setup ? setup.skip : undefined;
const tools = setup as CodeServerTools;

/**
 * The CodeLens over the fixture's three FROM lines, trusted or not (the menus differ), once the
 * server has read the fixture's compose.yaml and docker-bake.hcl, which build stages test and
 * release (it reads them in the background: before, test is "not built by default").
 */
const LENS_TITLES = [
  'used by 2: test, release',
  'built by compose: tests · bake: unit · from ⬑ build',
  'built by bake: app · target',
];

/** Waits until the lenses shown read LENS_TITLES (VS Code asks again when the server says they changed). */
async function waitForLensTitles(page: Page, timeoutMs = 30_000): Promise<string[]> {
  const lenses = page.locator('.codelens-decoration');
  const titles = async () => (await lenses.allTextContents()).map((t) => t.replace(/\u00a0/g, ' ').trim());
  try {
    return await waitFor('the CodeLens titles naming the builds', timeoutMs, async () => {
      const texts = await titles();
      return JSON.stringify(texts) === JSON.stringify(LENS_TITLES) ? texts : undefined;
    });
  } catch (e) {
    throw new Error(`${(e as Error).message}; shown: ${JSON.stringify(await titles())}`);
  }
}

describe('VS Code (code-server) with the packaged .vsix, through Chromium', { skip }, () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let codeActionProvider = false;
  let openedAt = 0;
  let folder = '';

  before(async () => {
    codeActionProvider = Boolean((await serverCapabilities()).codeActionProvider);
    dir = tempDir('ui');
    folder = fixtureWorkspace(dir);
    server = await CodeServer.start(tools, { install: [vsixPath()] });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, folder);
    await quickOpen(page, 'Dockerfile');
    openedAt = Date.now();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('CodeLens above each FROM, and the stage actions a click on one offers', async (t) => {
    const lenses = page.locator('.codelens-decoration');
    await waitFor('three lines of CodeLens', 30_000, async () => ((await lenses.count()) === 3 ? true : undefined));
    await waitFor('resolved CodeLens titles', 15_000, async () => {
      const texts = await lenses.allTextContents();
      // An unresolved lens shows no text yet.
      return texts.every((t) => t.replace(/\u00a0/g, ' ').trim() !== '') ? true : undefined;
    });
    t.diagnostic(`CodeLens titles shown ${Date.now() - openedAt} ms after the file opened (extension activation and server start included)`);
    const texts = await waitForLensTitles(page);
    t.diagnostic(`and naming the Compose and Bake builds ${Date.now() - openedAt} ms after`);
    await shot(page, '01-codelens');
    assert.deepEqual(texts, LENS_TITLES);
    // The menu says which stage it is for (lenses of neighbouring stages look alike).
    const menu = await lensMenu(page, 0, { screenshot: '01-codelens-menu' });
    assert.equal(menu.heading, 'Actions for stage "build", line 2');
    assert.deepEqual(menu.entries, ['Peek the 3 uses of stage "build"', '▶ Build this stage (--target build)']);
    // A stage built on another: its menu leads to the base, and choosing that goes there.
    await goTo(page, 7, 3);
    const test = await lensMenu(page, 1, { choose: 'Go to its base, stage "build"' });
    assert.equal(test.heading, 'Actions for stage "test", line 6');
    assert.deepEqual(test.entries, ['Go to its base, stage "build"', '▶ Build this stage (--target test)']);
    await waitForCursor(page, 2, 21);
  });

  test('a broken --from: a squiggle under it and an entry in the Problems panel', async () => {
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+Shift+M');
    const rows = page.locator('.markers-panel .monaco-list-row');
    await rows.filter({ hasText: 'No stage named "buld"' }).first().waitFor({ timeout: 15_000 });
    const texts = (await rows.allTextContents()).join('\n');
    await shot(page, '02-problems');
    assert.match(texts, /No stage named "buld": BuildKit will use the image "buld" instead\. Did you mean "build"\?/);
    assert.match(texts, /UnknownStageReference/);
    assert.match(texts, /\[Ln 10, Col 13\]/);
    assert.match(texts, /NumericStageReference/);
    // Back to the editor, the panel closed.
    await page.keyboard.press('Control+Shift+M');
    await focusEditor(page);
  });

  test('F12 on COPY --from=build lands on FROM … AS build', async () => {
    await goTo(page, 11, 15);
    await page.keyboard.press('F12');
    await waitFor('the cursor on line 2', 10_000, async () => ((await cursorPosition(page)).startsWith('Ln 2,') ? true : undefined));
    assert.equal(await cursorPosition(page), 'Ln 2, Col 21');
    await shot(page, '03-definition');
  });

  test('F2 renames the stage and every named use, nothing else', async () => {
    await goTo(page, 2, 22);
    await page.keyboard.press('F2');
    assert.equal((await renameBox(page)).value, 'build');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('builder');
    await shot(page, '04-rename-input');
    await page.keyboard.press('Enter');
    await waitFor('the renamed text', 10_000, async () => ((await visibleLines(page)).includes('FROM golang:1.22 AS builder') ? true : undefined));
    const lines = await visibleLines(page);
    await shot(page, '05-renamed');
    assert.deepEqual(lines.slice(0, 13), [
      '# syntax=docker/dockerfile:1',
      'FROM golang:1.22 AS builder',
      'WORKDIR /src',
      'RUN go build -o /out/app ./cmd/app',
      '',
      'FROM builder AS test',
      'RUN go test ./...',
      '',
      'FROM alpine:3.20 AS release',
      'COPY --from=buld /out/app /usr/local/bin/app',
      'COPY --from=builder /out/app /usr/local/bin/app-copy',
      'COPY --from=0 /etc/ssl/certs /etc/ssl/certs',
      'ENTRYPOINT ["/usr/local/bin/app"]',
    ]);
    // The CodeLens follow the edit.
    await waitForLens(page, 'built by compose: tests · bake: unit · from ⬑ builder');
    // Undo the rename (one undo step) for the next checks; the CodeLens follow it too.
    await page.keyboard.press('Control+Z');
    await waitFor('the original text back', 10_000, async () => ((await visibleLines(page)).includes('FROM golang:1.22 AS build') ? true : undefined));
    await waitForLens(page, 'built by compose: tests · bake: unit · from ⬑ build');
  });

  test('Ctrl+. on the broken --from offers a fix naming the stage, and applies it', async (t) => {
    if (!codeActionProvider) {
      t.skip('the server does not advertise codeActionProvider (code actions are not in this build)');
      return;
    }
    await goTo(page, 10, 14);
    await page.keyboard.press('Control+.');
    const items = page.locator('.action-widget .monaco-list-row');
    await items.first().waitFor({ timeout: 10_000 });
    const titles = (await items.allTextContents()).map((s) => s.trim());
    await shot(page, '06-quick-fix');
    const fix = titles.findIndex((s) => /build/.test(s));
    assert.ok(fix >= 0, `a quick fix naming "build": ${JSON.stringify(titles)}`);
    await items.nth(fix).click();
    await waitFor('the fixed line', 10_000, async () => ((await visibleLines(page)).includes('COPY --from=build /out/app /usr/local/bin/app') ? true : undefined));
    await waitFor('the squiggle gone', 10_000, async () => ((await page.locator('.squiggly-warning').count()) === 0 ? true : undefined));
    await shot(page, '07-quick-fix-applied');
    await page.keyboard.press('Control+Z');
    await page.locator('.squiggly-warning').first().waitFor({ timeout: 10_000 });
  });

  test('Show Stage Graph: one panel that follows the active Dockerfile and highlights the cursor\'s stage', async () => {
    await page.keyboard.press('Control+1');
    await goTo(page, 7, 1); // in stage 1, test
    await runCommand(page, 'Dockerfile Stages: Show Stage Graph');
    await page.locator('.tab', { hasText: 'Stages: Dockerfile' }).waitFor({ timeout: 15_000 });
    // A webview is an iframe (iframe.webview) holding the content's iframe (#active-frame).
    const frame = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await frame.locator('svg g.node').first().waitFor({ timeout: 30_000 });
    const labels = await frame.locator('svg g.node text').allTextContents();
    for (const stage of ['build', 'test', 'release']) assert.ok(labels.some((l) => l.includes(stage)), `a node for "${stage}": ${JSON.stringify(labels)}`);
    await frame.locator('svg g.node.cursor#stage-1').waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('svg g.node.cursor').count(), 1, 'one stage highlighted: the cursor\'s');
    await shot(page, '08-stage-graph');

    // The cursor moves into the release stage: the highlight follows.
    await goTo(page, 10, 1);
    await frame.locator('svg g.node.cursor#stage-2').waitFor({ timeout: 15_000 });

    // Ctrl+F in the graph finds a stage there, not in the editor.
    await frame.locator('#graph').click({ position: { x: 8, y: 8 } });
    await page.keyboard.press('Control+F');
    await waitFor('the graph\'s search box to have focus', 10_000, () =>
      frame.locator('#search').evaluate((el) => (el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement ? true : undefined)));
    await page.keyboard.type('rel');
    await frame.locator('svg g.node.match-current#stage-2').waitFor({ timeout: 10_000 });
    assert.equal(await page.locator('.editor-instance .find-widget.visible').count(), 0, 'the editor\'s find widget stays closed');
    await page.keyboard.press('Escape');

    // Another Dockerfile becomes active: the same panel shows its graph, retitled.
    await focusEditor(page);
    await quickOpen(page, 'settings/Dockerfile', 'settings');
    await page.locator('.tab', { hasText: 'Stages: settings/Dockerfile' }).waitFor({ timeout: 15_000 });
    await waitFor('the graph of settings/Dockerfile', 15_000, async () => ((await frame.locator('svg g.node').count()) === 2 ? true : undefined));
    assert.deepEqual((await frame.locator('svg g.node text.name').allTextContents()).map((t) => t.trim()), ['base', 'stage 1'], 'an unnamed stage reads as the outline says it');
    assert.equal(await page.locator('.tab', { hasText: 'Stages:' }).count(), 1, 'one graph panel');
    await shot(page, '08-stage-graph-followed');

    // Moby's Dockerfile (59 stages) when the corpus is there: readable around the cursor's stage.
    if (!fs.existsSync(MOBY)) {
      console.log(`# moby's Dockerfile is not in the corpus (${MOBY}): the graph is not shown at its size`);
      return;
    }
    fs.mkdirSync(path.join(folder, 'moby'), { recursive: true });
    fs.copyFileSync(MOBY, path.join(folder, 'moby', 'Dockerfile'));
    await focusEditor(page);
    await quickOpen(page, 'moby/Dockerfile', 'moby');
    await page.locator('.tab', { hasText: 'Stages: moby/Dockerfile' }).waitFor({ timeout: 15_000 });
    await goTo(page, 262, 1); // in runc-build, stage 24
    await frame.locator('svg g.node.cursor#stage-24').waitFor({ timeout: 30_000 });
    await frame.locator('body[data-camera="still"]').waitFor({ state: 'attached', timeout: 10_000 });
    const fontPx = await frame.locator('svg g.node#stage-24 text.name').evaluate((el) => {
      const text = el as unknown as { getScreenCTM(): { a: number } | null; ownerDocument: { defaultView: { getComputedStyle(e: unknown): { fontSize: string } } } };
      return parseFloat(text.ownerDocument.defaultView.getComputedStyle(text).fontSize) * (text.getScreenCTM()?.a ?? 0);
    });
    assert.ok(fontPx >= 10, `runc-build's name reads at ${fontPx.toFixed(1)} px`);
    await shot(page, '10-stage-graph-moby');
  });
});

describe('VS Code (code-server) in Restricted Mode', { skip }, () => {
  // The extension tells the server the workspace is untrusted (initializationOptions), and the
  // server then leaves the build action out of the lens menu.
  test('an untrusted folder gets diagnostics and CodeLens, but no build action', async () => {
    const dir = tempDir('ui-untrusted');
    const server = await CodeServer.start(tools, { install: [vsixPath()], workspaceTrust: true });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
      await openWorkbench(page, server, fixtureWorkspace(dir));
      // A folder nobody trusted yet opens in Restricted Mode (code-server asks nothing).
      await page.locator('.statusbar-item', { hasText: 'Restricted Mode' }).first().waitFor({ timeout: 15_000 });
      await quickOpen(page, 'Dockerfile');
      await page.locator('.squiggly-warning').first().waitFor({ timeout: 30_000 });
      const lenses = page.locator('.codelens-decoration');
      await waitFor('three lines of resolved CodeLens', 30_000, async () => {
        const texts = await lenses.allTextContents();
        return texts.length === 3 && texts.every((t) => t.replace(/\u00a0/g, ' ').trim() !== '') ? true : undefined;
      });
      const texts = await waitForLensTitles(page);
      await shot(page, '09-restricted-mode');
      assert.deepEqual(texts, LENS_TITLES);
      const menu = await lensMenu(page, 0);
      assert.equal(menu.heading, 'Actions for stage "build", line 2');
      assert.deepEqual(menu.entries, ['Peek the 3 uses of stage "build"'], 'no build action in Restricted Mode');
    } finally {
      await browser.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
