/**
 * Driving code-server's workbench in Chromium as a person does, for the Playwright tests
 * (code-server-ui.e2e.ts, stage-commands-ui.e2e.ts): keyboard first, and reading what is on
 * screen (the editor's lines, the status bar, the quick input's rows, the rename box).
 */
import * as path from 'path';
import type { Page } from 'playwright-core';
import { CodeServer } from './codeServer';
import { resultsDir, waitFor } from './support';

/** A screenshot into test-results/e2e/, CSS animations finished (a quick input fades in). */
export async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(resultsDir(), `${name}.png`), animations: 'disabled' });
}

export async function openWorkbench(page: Page, server: CodeServer, folder: string): Promise<void> {
  await page.goto(server.folderUrl(folder));
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  await page.locator('.explorer-folders-view, .welcome-view').first().waitFor({ timeout: 60_000 }).catch(() => undefined);
}

/** The editor's lines as shown, in order (Monaco renders them absolutely positioned). */
export async function visibleLines(page: Page): Promise<string[]> {
  const lines = await page.locator('.editor-instance .view-lines .view-line').evaluateAll((els) =>
    els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top), text: (el.textContent ?? '').replace(/\u00a0/g, ' ') })));
  return lines.sort((a, b) => a.top - b.top).map((l) => l.text);
}

/** The cursor's position as the status bar shows it: `Ln 2, Col 21`. */
export async function cursorPosition(page: Page): Promise<string> {
  return ((await page.locator('[id="status.editor.selection"]').textContent()) ?? '').trim();
}

/** Waits until the status bar shows the cursor at `line`:`column` (1-based). */
export async function waitForCursor(page: Page, line: number, column: number, timeoutMs = 10_000): Promise<void> {
  const expected = `Ln ${line}, Col ${column}`;
  try {
    await waitFor(`the cursor at ${line}:${column}`, timeoutMs, async () => ((await cursorPosition(page)) === expected ? true : undefined));
  } catch (e) {
    throw new Error(`${(e as Error).message}; the status bar shows ${JSON.stringify(await cursorPosition(page))}`);
  }
}

/** Puts the keyboard focus back in the editor (after a panel or a webview took it). */
export async function focusEditor(page: Page): Promise<void> {
  await page.locator('.editor-instance .monaco-editor textarea').first().focus();
}

/**
 * Opens a workspace file with Quick Open (Ctrl+P), as a person would: the first match, or the
 * first whose row (name and folder) holds `rowText`.
 */
export async function quickOpen(page: Page, relative: string, rowText?: string): Promise<void> {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(relative);
  // The best match comes first: for 'Dockerfile', the one at the root (the CodeLens test
  // would fail on settings/Dockerfile, which has one stage).
  const rows = page.locator('.quick-input-list .monaco-list-row');
  if (rowText) {
    await rows.filter({ hasText: rowText }).first().click();
  } else {
    await rows.first().waitFor();
    await page.keyboard.press('Enter');
  }
  // (by the tab's resource name: the graph panel's active tab, "Stages: Dockerfile", names it too)
  await page.locator(`.tabs-container .tab.active[data-resource-name="${path.basename(relative)}"]`).first().waitFor();
}

/** Go to Line/Column (Ctrl+G), 1-based like the status bar. */
export async function goTo(page: Page, line: number, column: number): Promise<void> {
  await page.keyboard.press('Control+G');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`:${line}:${column}`);
  await page.keyboard.press('Enter');
  await waitForCursor(page, line, column);
}

/** Runs a command from the palette (F1), by its title as the palette shows it. */
export async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(`>${title}`);
  await page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first().waitFor();
  await page.keyboard.press('Enter');
}

export interface QuickPickRow {
  label: string;
  description: string;
  detail: string;
  /** The row the keyboard is on (Enter accepts it). */
  focused: boolean;
}

/**
 * The rows of the open quick input as shown: label, description and detail of each. (The list
 * reuses its row elements from one pick to the next, so a row can hold a hidden detail of an
 * earlier pick: only what is visible counts.)
 */
export async function quickPickRows(page: Page): Promise<QuickPickRow[]> {
  return page.locator('.quick-input-widget .quick-input-list .monaco-list-row').evaluateAll((rows) => {
    type El = { querySelector(s: string): El | null; querySelectorAll(s: string): El[]; textContent: string | null; checkVisibility(): boolean; classList: { contains(c: string): boolean }; getAttribute(n: string): string | null };
    const text = (el: El | null) => (el && el.checkVisibility() ? (el.textContent ?? '').replace(/\u00a0/g, ' ').trim() : '');
    return (rows as unknown as El[])
      .sort((a, b) => Number(a.getAttribute('data-index')) - Number(b.getAttribute('data-index')))
      .map((row) => {
        const [main, second] = row.querySelectorAll('.quick-input-list-row');
        return {
          label: text(main?.querySelector('.label-name') ?? null),
          description: text(main?.querySelector('.label-description') ?? null),
          detail: text(second ?? null),
          focused: row.classList.contains('focused'),
        };
      });
  });
}

/** The open quick input's title, or its placeholder where it has none (a lens menu's heading). */
export async function quickInputHeading(page: Page): Promise<{ title: string; placeholder: string }> {
  const widget = page.locator('.quick-input-widget');
  const title = await widget.locator('.quick-input-title').evaluate((el) => {
    const e = el as unknown as { checkVisibility(): boolean; textContent: string | null };
    return e.checkVisibility() ? (e.textContent ?? '').trim() : '';
  });
  return { title, placeholder: (await widget.locator('input').first().getAttribute('placeholder')) ?? '' };
}

/** Waits for the quick input titled `title` to show its rows. */
export async function waitForQuickPick(page: Page, title: string): Promise<void> {
  await page.locator('.quick-input-widget .quick-input-title', { hasText: title }).waitFor({ timeout: 15_000 });
  await page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first().waitFor({ timeout: 15_000 });
}

/** Waits for the quick input to close. */
export async function waitForQuickInputClosed(page: Page): Promise<void> {
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 10_000 });
}

/**
 * Clicks a lens, the `lens`-th one shown or the one whose title is `lens`, and reads the menu it
 * opens: its heading and entries. Then chooses the entry `choose` (by a click), or closes the
 * menu with Escape.
 */
export async function lensMenu(page: Page, lens: number | string, options: { screenshot?: string; choose?: string } = {}): Promise<{ heading: string; entries: string[] }> {
  const links = page.locator('.codelens-decoration a');
  await (typeof lens === 'number' ? links.nth(lens) : links.filter({ hasText: lens }).first()).click();
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await rows.first().waitFor({ timeout: 10_000 });
  if (options.screenshot) await shot(page, options.screenshot);
  const entries = (await quickPickRows(page)).map((r) => r.label);
  const heading = (await quickInputHeading(page)).placeholder;
  if (options.choose !== undefined) {
    const at = entries.indexOf(options.choose);
    if (at < 0) throw new Error(`no entry ${JSON.stringify(options.choose)} in the lens menu: ${JSON.stringify(entries)}`);
    await rows.nth(at).click();
  } else {
    await page.keyboard.press('Escape');
  }
  await rows.first().waitFor({ state: 'hidden', timeout: 10_000 });
  return { heading, entries };
}

/** Waits until a CodeLens line shows `text` (VS Code re-asks for CodeLens a moment after an edit). */
export async function waitForLens(page: Page, text: string): Promise<void> {
  await waitFor(`a CodeLens reading "${text}"`, 15_000, async () =>
    ((await page.locator('.codelens-decoration').allTextContents()).some((t) => t.replace(/\u00a0/g, ' ').trim() === text) ? true : undefined));
}

/**
 * Waits for the rename box (F2) to have the keyboard focus; its value and the part of it
 * selected (what typing replaces).
 */
export async function renameBox(page: Page): Promise<{ value: string; selected: string }> {
  const input = page.locator('.rename-box .rename-input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await waitFor('the rename input to have focus', 5_000, () => input.evaluate((el) => (el === (el.ownerDocument as unknown as { activeElement: unknown }).activeElement ? true : undefined)));
  return input.evaluate((el) => {
    const e = el as unknown as { value: string; selectionStart: number | null; selectionEnd: number | null };
    return { value: e.value, selected: e.value.slice(e.selectionStart ?? 0, e.selectionEnd ?? 0) };
  });
}
