/**
 * The stage commands as a person meets them in VS Code: code-server with the packaged .vsix,
 * driven through Debian's Chromium with playwright-core, keyboard first, reading the quick
 * pick's rows, the status bar, the editor's lines and the rename box. On STAGES (below):
 *   - Go to Stage…: the stage under the cursor preselected, the editor previewing each stage
 *     the user arrows to, back where it was on Escape, at the stage on Enter;
 *   - Next Stage / Previous Stage (their keys) at the last / first stage: the cursor stays and
 *     the status bar says why;
 *   - Build Stage (--target)…: a pick of the stages, never free text; Enter runs the build
 *     task, seen through a stand-in `docker` that records its arguments (test/e2e/standInDocker.ts);
 *     an unnamed stage cannot be a --target, and choosing it names it;
 *   - Name this stage, from the lens menu, from Ctrl+. and from the Build pick: the stage named
 *     with the derived name, its --from=N uses rewritten, the rename box open on the name,
 *     selected; typing another name renames the stage and its uses.
 * The lens menus of named stages (heading, Go to its base) are in code-server-ui.e2e.ts.
 * Screenshots go to test-results/e2e/. Skipped, with the reason, without code-server or Chromium.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { CodeServer, CodeServerTools, launchChromium, setupBrowserSuite } from './codeServer';
import { dockerRuns, writeStandInDocker } from './standInDocker';
import { tempDir, vsixPath, waitFor } from './support';
import {
  QuickPickRow, cursorPosition, focusEditor, goTo, lensMenu, openWorkbench, quickInputHeading, quickOpen, quickPickRows,
  renameBox, runCommand, shot, visibleLines, waitForCursor, waitForQuickInputClosed, waitForQuickPick,
} from './workbench';

const setup = setupBrowserSuite();
const skip = 'skip' in setup ? setup.skip : undefined;
const tools = setup as CodeServerTools;

const FILE = 'stages.Dockerfile';
/**
 * Four stages, the second unnamed and copied from by index; the first long enough that the
 * others are out of view when it is shown (so that a preview has to scroll).
 */
const STAGES = [
  '# syntax=docker/dockerfile:1',
  'FROM golang:1.22 AS build',
  'WORKDIR /src',
  ...Array.from({ length: 60 }, (_, i) => `RUN go build -o /out/tool-${i} ./cmd/tool-${i}`),
  '',
  'FROM alpine:3.20',
  'RUN apk add --no-cache ca-certificates',
  '',
  'FROM build AS test',
  'RUN go test ./...',
  '',
  'FROM scratch AS release',
  'COPY --from=build /out/ /usr/local/bin/',
  'COPY --from=1 /etc/ssl/certs /etc/ssl/certs',
  '',
];
/** 1-based line of a line of STAGES, as the status bar counts. */
const lineOf = (text: string) => {
  const at = STAGES.indexOf(text);
  assert.ok(at >= 0, text);
  return at + 1;
};
const L = {
  build: lineOf('FROM golang:1.22 AS build'),
  unnamed: lineOf('FROM alpine:3.20'),
  test: lineOf('FROM build AS test'),
  inTest: lineOf('RUN go test ./...'),
  release: lineOf('FROM scratch AS release'),
  copyByIndex: lineOf('COPY --from=1 /etc/ssl/certs /etc/ssl/certs'),
};

const row = (label: string, description: string, detail: string, focused = false): QuickPickRow => ({ label, description, detail, focused });

describe('The stage commands in VS Code (code-server), through Chromium', { skip }, () => {
  let server: CodeServer;
  let browser: Browser;
  let page: Page;
  let dir: string;
  let folder: string;
  let records: string;

  before(async () => {
    dir = tempDir('ui-commands');
    folder = path.join(dir, 'workspace');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, FILE), STAGES.join('\n'));
    // The build task finds `docker` on the extension host's PATH: the stand-in, first there.
    const bin = path.join(dir, 'bin');
    records = path.join(dir, 'docker-runs');
    fs.mkdirSync(bin);
    fs.mkdirSync(records);
    writeStandInDocker(bin, records, tools.node);
    server = await CodeServer.start(tools, {
      install: [vsixPath()],
      pathPrefix: [bin],
      // The extension host's PATH is the server's, not a login shell's (which would drop bin).
      vscodeOptions: ['force-disable-user-env'],
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await openWorkbench(page, server, folder);
    await quickOpen(page, FILE);
    // The server has analysed the file once its lenses show.
    await page.locator('.codelens-decoration a', { hasText: 'used by 2: test, release' }).waitFor({ timeout: 30_000 });
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Waits for the Nth recorded run of the stand-in docker (1-based); its arguments. */
  async function dockerRun(n: number): Promise<string[]> {
    const runs = await waitFor(`run ${n} of the stand-in docker`, 30_000, () => {
      const all = dockerRuns(records);
      return all.length >= n ? all : undefined;
    });
    assert.equal(runs.length, n, `exactly ${n} runs: ${JSON.stringify(runs)}`);
    assert.equal(runs[n - 1].cwd, folder);
    return runs[n - 1].argv;
  }

  /** Reverts the file to STAGES (File: Revert File) and waits for the editor to show it. */
  async function revert(): Promise<void> {
    await focusEditor(page);
    assert.equal(await page.locator(`.tabs-container .tab.active.dirty[data-resource-name="${FILE}"]`).count(), 1, 'the file edited, not saved');
    await runCommand(page, 'File: Revert File');
    // Reverted once its tab is no longer marked as edited (before, a revert still to come would move the cursor).
    await page.locator(`.tabs-container .tab.active:not(.dirty)[data-resource-name="${FILE}"]`).waitFor({ timeout: 10_000 });
    await goTo(page, L.copyByIndex, 1);
    await waitFor('the file as it was', 10_000, async () => {
      const lines = await visibleLines(page);
      return lines.includes('FROM alpine:3.20') && lines.includes('COPY --from=1 /etc/ssl/certs /etc/ssl/certs') ? true : undefined;
    });
  }

  /** The editor shows stage 1 named `name`, and the COPY that used its index using the name. */
  async function waitForNamed(name: string): Promise<void> {
    try {
      await waitFor(`stage 1 named ${name}`, 10_000, async () => {
        const lines = await visibleLines(page);
        return lines.includes(`FROM alpine:3.20 AS ${name}`) && lines.includes(`COPY --from=${name} /etc/ssl/certs /etc/ssl/certs`) ? true : undefined;
      });
    } catch (e) {
      throw new Error(`${(e as Error).message}; the editor shows ${JSON.stringify((await visibleLines(page)).slice(-12))}`);
    }
  }

  /** The rename box is open on the derived name, all of it selected; typing `name` and Enter renames the stage and its use. */
  async function renameDerivedTo(name: string, screenshot: string): Promise<void> {
    assert.deepEqual(await renameBox(page), { value: 'alpine-build', selected: 'alpine-build' });
    await waitForNamed('alpine-build');
    await shot(page, screenshot);
    await page.keyboard.type(name);
    await page.keyboard.press('Enter');
    await page.locator('.rename-box .rename-input').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForNamed(name);
  }

  test('Go to Stage…: the stage under the cursor preselected, a preview as the user arrows, back on Escape, there on Enter', async () => {
    await goTo(page, L.inTest, 3);
    await runCommand(page, 'Dockerfile Stages: Go to Stage…');
    await waitForQuickPick(page, 'Go to Stage');
    await shot(page, '11-go-to-stage');
    assert.deepEqual(await quickPickRows(page), [
      row('build', 'from golang:1.22', `stage 0 · line ${L.build}`),
      row('stage 1', 'from alpine:3.20', `stage 1 · line ${L.unnamed}`),
      row('test', 'from build', `stage 2 · line ${L.test} · at the cursor`, true),
      row('release', 'from scratch', `stage 3 · line ${L.release}`),
    ]);
    // The preselected stage is previewed: the cursor on its FROM.
    await waitForCursor(page, L.test, 1);

    // Arrowing up to build previews it: the cursor there, the editor scrolled to it.
    await page.keyboard.press('ArrowUp');
    await page.keyboard.press('ArrowUp');
    await waitForCursor(page, L.build, 1);
    assert.equal((await quickPickRows(page)).find((r) => r.focused)?.label, 'build');
    assert.ok((await visibleLines(page)).includes('FROM golang:1.22 AS build'), 'the editor shows the previewed stage');
    await shot(page, '12-go-to-stage-preview');

    // Escape: the cursor and the view back where they were.
    await page.keyboard.press('Escape');
    await waitForQuickInputClosed(page);
    await waitForCursor(page, L.inTest, 3);
    const back = await visibleLines(page);
    assert.ok(back.includes('RUN go test ./...') && !back.includes('FROM golang:1.22 AS build'), `the view restored: ${JSON.stringify(back)}`);

    // Enter on another stage: the cursor stays there, and typing goes to the editor.
    await runCommand(page, 'Dockerfile Stages: Go to Stage…');
    await waitForQuickPick(page, 'Go to Stage');
    await page.keyboard.press('ArrowDown');
    await waitForCursor(page, L.release, 1);
    await page.keyboard.press('Enter');
    await waitForQuickInputClosed(page);
    await waitForCursor(page, L.release, 1);
    await page.keyboard.press('End');
    await waitForCursor(page, L.release, 'FROM scratch AS release'.length + 1);
  });

  test('Next Stage / Previous Stage at the last / first stage: the cursor stays, and the status bar says so', async () => {
    const message = page.locator('[id="status.extensionMessage"]');
    await goTo(page, L.copyByIndex, 5);
    await page.keyboard.press('Control+Alt+BracketRight');
    await message.filter({ hasText: 'No next stage: this is the last one.' }).waitFor({ timeout: 10_000 });
    assert.equal(await cursorPosition(page), `Ln ${L.copyByIndex}, Col 5`);
    await shot(page, '13-no-next-stage');

    // Inside the first stage Previous goes to its FROM; there, it stays.
    await goTo(page, L.build + 1, 4);
    await page.keyboard.press('Control+Alt+BracketLeft');
    await waitForCursor(page, L.build, 1);
    await page.keyboard.press('Control+Alt+BracketLeft');
    await message.filter({ hasText: 'No previous stage: this is the first one.' }).waitFor({ timeout: 10_000 });
    assert.equal(await cursorPosition(page), `Ln ${L.build}, Col 1`);
    // Next from there: the unnamed stage.
    await page.keyboard.press('Control+Alt+BracketRight');
    await waitForCursor(page, L.unnamed, 1);
  });

  test('Build Stage (--target)…: a pick of the stages, the one under the cursor first and preselected; Enter builds it', async () => {
    const file = path.join(folder, FILE);
    await goTo(page, L.inTest, 3);
    await runCommand(page, 'Dockerfile Stages: Build Stage (--target)…');
    await waitForQuickPick(page, 'Build Stage (--target)');
    await shot(page, '14-build-stage-pick');
    assert.equal((await quickInputHeading(page)).placeholder, 'The stage to build');
    assert.deepEqual(await quickPickRows(page), [
      row('test', '--target test · from build', `stage 2 · line ${L.test} · at the cursor`, true),
      row('build', '--target build · from golang:1.22', `stage 0 · line ${L.build}`),
      row('stage 1', 'no name, so no --target: choose to name it', `stage 1 · line ${L.unnamed}`),
      row('release', '--target release · from scratch', `stage 3 · line ${L.release}`),
    ]);
    // Not a free-text box: a name that is no stage matches nothing, and Enter builds nothing
    // (the run counted below is the first).
    await page.keyboard.type('nosuchstage');
    await waitFor('no row left', 10_000, async () => ((await quickPickRows(page)).length === 0 ? true : undefined));
    await page.keyboard.press('Enter');
    await page.keyboard.press('Escape');
    await waitForQuickInputClosed(page);

    await runCommand(page, 'Dockerfile Stages: Build Stage (--target)…');
    await waitForQuickPick(page, 'Build Stage (--target)');
    await page.keyboard.press('Enter');
    await waitForQuickInputClosed(page);
    assert.deepEqual(await dockerRun(1), ['build', '--target', 'test', '-f', file, folder]);
    await shot(page, '15-build-stage-ran');

    // Another stage, arrowed to.
    await focusEditor(page);
    await runCommand(page, 'Dockerfile Stages: Build Stage (--target)…');
    await waitForQuickPick(page, 'Build Stage (--target)');
    await page.keyboard.press('ArrowDown');
    await waitFor('build focused', 5_000, async () => ((await quickPickRows(page)).find((r) => r.focused)?.label === 'build' ? true : undefined));
    await page.keyboard.press('Enter');
    assert.deepEqual(await dockerRun(2), ['build', '--target', 'build', '-f', file, folder]);
  });

  test('Build Stage… on an unnamed stage builds nothing: it names the stage and opens the rename box, where Enter keeps the name', async () => {
    await focusEditor(page);
    await goTo(page, L.copyByIndex, 1);
    await runCommand(page, 'Dockerfile Stages: Build Stage (--target)…');
    await waitForQuickPick(page, 'Build Stage (--target)');
    await page.keyboard.type('stage 1');
    await waitFor('stage 1 focused', 5_000, async () => ((await quickPickRows(page)).find((r) => r.focused)?.label === 'stage 1' ? true : undefined));
    await page.keyboard.press('Enter');
    assert.deepEqual(await renameBox(page), { value: 'alpine-build', selected: 'alpine-build' });
    await waitForNamed('alpine-build');
    await shot(page, '16-build-unnamed-names-it');
    // Enter keeps the derived name.
    await page.keyboard.press('Enter');
    await page.locator('.rename-box .rename-input').waitFor({ state: 'hidden', timeout: 10_000 });
    await waitForNamed('alpine-build');
    await revert();
    // The next build is the third run: choosing the unnamed stage ran none.
    await runCommand(page, 'Dockerfile Stages: Build Stage (--target)…');
    await waitForQuickPick(page, 'Build Stage (--target)');
    await page.keyboard.press('Enter');
    assert.deepEqual((await dockerRun(3)).slice(0, 3), ['build', '--target', 'release']);
  });

  test('Name this stage from the lens menu: the derived name, its --from=1 rewritten, the rename box open on it', async () => {
    await focusEditor(page);
    await goTo(page, L.copyByIndex, 1);
    const menu = await lensMenu(page, 'used by 1: release', { choose: 'Name this stage', screenshot: '17-lens-menu-unnamed' });
    assert.equal(menu.heading, `Actions for stage 1, line ${L.unnamed}`);
    assert.deepEqual(menu.entries, ['Peek the use of stage 1', 'Name this stage']);
    await renameDerivedTo('certs', '18-name-this-stage-rename');
    await shot(page, '19-named-and-renamed');
    await revert();
  });

  test('Name this stage from Ctrl+. on the FROM line: the same, the rename box open on the derived name', async () => {
    await goTo(page, L.unnamed, 3);
    await page.keyboard.press('Control+.');
    const items = page.locator('.action-widget .monaco-list-row');
    await items.first().waitFor({ timeout: 10_000 });
    const titles = (await items.allTextContents()).map((s) => s.trim());
    await shot(page, '20-name-this-stage-code-action');
    const at = titles.indexOf("Name this stage 'alpine-build'");
    assert.ok(at >= 0, `a "Name this stage" action: ${JSON.stringify(titles)}`);
    await items.nth(at).click();
    await renameDerivedTo('certs', '21-code-action-rename');
    await revert();
  });
});
