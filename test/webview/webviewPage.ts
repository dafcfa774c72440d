/**
 * The stage-graph webview page in headless Chromium, as the panel serves it: the exact HTML of
 * client/src/stageGraphHtml.ts and the bundled dist/stageGraphView.js, under the page's CSP, with
 * a fake `acquireVsCodeApi` that records what the page posts. Every other request is refused and
 * recorded. The test plays the panel's part (it posts the messages the panel would).
 */
import * as fs from 'fs';
import * as path from 'path';
import type { Browser, Page } from 'playwright-core';
import { stageGraphHtml } from '../../client/src/stageGraphHtml';
import { repoRoot } from '../support/fixtures';

export const CHROMIUM = '/usr/bin/chromium';
export const ORIGIN = 'https://webview.stage-graph.test';
export const PAGE_URL = `${ORIGIN}/index.html`;
export const SCRIPT_URL = `${ORIGIN}/dist/stageGraphView.js`;
export const NONCE = 'dGVzdC1ub25jZS0xMjM0NTY3OA==';

export const chromiumSkipReason = fs.existsSync(CHROMIUM)
  ? undefined
  : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium); the webview is not rendered`;

// What the functions passed to page.evaluate use in the page (the test suites have no DOM library).
export interface Posted { type: string; line?: number; uri?: string; id?: number; state?: unknown; report?: unknown }
declare const window: {
  __posted: Posted[];
  __violations: string[];
  acquireVsCodeApi: () => unknown;
};
declare const document: {
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string }) => void): void;
};

export interface WebviewPage {
  browser: Browser;
  page: Page;
  /** URLs the page asked for that were refused. */
  refused: string[];
  requests: string[];
  pageErrors: string[];
  /** Posts a message to the page as the panel does. */
  post(message: unknown): Promise<void>;
  /** What the page posted so far. */
  posted(): Promise<Posted[]>;
  violations(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openWebviewPage(viewport: { width: number; height: number }): Promise<WebviewPage> {
  const script = fs.readFileSync(path.join(repoRoot(), 'dist', 'stageGraphView.js'));
  const html = stageGraphHtml({ cspSource: ORIGIN, nonce: NONCE, scriptUri: SCRIPT_URL, fileName: 'Dockerfile' });
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true });
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const refused: string[] = [];
  const requests: string[] = [];
  const pageErrors: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url === PAGE_URL) return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
    // As VS Code serves a webview resource: by its extension, no charset.
    if (url === SCRIPT_URL) return route.fulfill({ status: 200, contentType: 'application/javascript', body: script });
    refused.push(url);
    return route.abort('blockedbyclient');
  });
  await context.addInitScript(() => {
    const posted: Posted[] = [];
    const violations: string[] = [];
    window.__posted = posted;
    window.__violations = violations;
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    // VS Code's own acquireVsCodeApi may be called once per page: a second call throws.
    let acquired = false;
    window.acquireVsCodeApi = () => {
      if (acquired) throw new Error('acquireVsCodeApi called twice');
      acquired = true;
      return { postMessage: (m: Posted) => posted.push(m), getState: () => undefined, setState: () => undefined };
    };
  });
  const page = await context.newPage();
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => pageErrors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') pageErrors.push(m.text()); });
  await page.goto(PAGE_URL);
  await page.waitForFunction(() => window.__posted.some((m) => m.type === 'ready'));
  return {
    browser,
    page,
    refused,
    requests,
    pageErrors,
    post: (message) => page.evaluate((m) => (window as unknown as { postMessage(m: unknown, o: string): void }).postMessage(m, '*'), message),
    posted: () => page.evaluate(() => window.__posted.slice()),
    violations: () => page.evaluate(() => window.__violations.slice()),
    close: () => browser.close(),
  };
}
