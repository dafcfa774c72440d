/**
 * The HTML the stage-graph webview serves: a pure function of the webview's CSP source, a nonce
 * and the script's URI, so that tests can load the exact page in a browser without VS Code.
 *
 * The page loads one script (dist/stageGraphView.js, Graphviz compiled to WebAssembly embedded
 * in it) and one inline stylesheet, both carrying the nonce; nothing else may load or run.
 * Graphviz's SVG uses presentation attributes, never inline styles, so no 'unsafe-inline'.
 */

export interface StageGraphHtmlOptions {
  /** `webview.cspSource`. */
  cspSource: string;
  /** A fresh random value per page (base64 characters only). */
  nonce: string;
  /** `webview.asWebviewUri(…/dist/stageGraphView.js)`, as a string. */
  scriptUri: string;
  /** The document's file name, for the page title. */
  fileName?: string;
}

/** The Content-Security-Policy of the page. */
export function stageGraphCsp(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    // 'wasm-unsafe-eval' lets the script compile Graphviz's WebAssembly; it allows no JS eval.
    `script-src 'nonce-${nonce}' 'wasm-unsafe-eval'`,
    `style-src ${cspSource} 'nonce-${nonce}'`,
    `img-src ${cspSource} data:`,
  ].join('; ') + ';';
}

export function stageGraphHtml(o: StageGraphHtmlOptions): string {
  if (!/^[A-Za-z0-9+/=_-]+$/.test(o.nonce)) throw new Error('nonce must be base64 characters');
  const nonce = o.nonce;
  const title = o.fileName ? `Stages: ${o.fileName}` : 'Stages';
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(stageGraphCsp(o.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style nonce="${nonce}">
${STYLES}
</style>
</head>
<body>
<header class="toolbar">
  <div class="toolbar-row">
    <span id="summary" role="status" aria-live="polite"></span>
    <span class="legend" aria-label="Legend">
      ${legendItem('FROM', '')}
      ${legendItem('COPY --from', '5,3')}
      ${legendItem('RUN --mount', '1.5,2.5')}
      ${legendItem('FROM ${ARG}', '5,3', 'muted')}
    </span>
  </div>
  <div class="toolbar-row controls">
    <span class="search">
      <input id="search" type="search" placeholder="Find stage" aria-label="Find a stage by name (Enter: next, Shift+Enter: previous)" autocomplete="off" spellcheck="false">
      <span id="search-count" aria-live="polite"></span>
    </span>
    <span class="zoom" role="group" aria-label="Zoom">
      <button id="zoom-out" type="button" title="Zoom out (−)" aria-label="Zoom out">−</button>
      <button id="zoom-level" type="button" title="Zoom to 100 % (1)" aria-label="Zoom level; press to zoom to 100 %">100 %</button>
      <button id="zoom-in" type="button" title="Zoom in (+)" aria-label="Zoom in">+</button>
    </span>
    <button id="fit" type="button" title="Show the whole graph (0)">Fit</button>
    <button id="focus-mode" type="button" aria-pressed="false" title="Show only the current stage, what it is built from and what uses it (F)">Focus</button>
  </div>
</header>
<div id="message" role="alert">Loading the stage graph…</div>
<main id="graph" tabindex="0" aria-label="Stage graph" aria-describedby="graph-help"></main>
<p id="graph-help" class="visually-hidden">Tab moves through the stages and Enter shows a stage in the editor. Plus and minus zoom, 0 fits the graph, arrow keys and dragging pan, C centres the current stage, F toggles focus mode, Ctrl+F finds a stage.</p>
<div class="probes" aria-hidden="true">
  <span class="probe probe-foreground"></span>
  <span class="probe probe-background"></span>
  <span class="probe probe-accent"></span>
  <span class="probe probe-muted"></span>
</div>
<script nonce="${nonce}" src="${escapeHtml(o.scriptUri)}"></script>
</body>
</html>
`;
}

function legendItem(text: string, dasharray: string, extra = ''): string {
  const dash = dasharray ? ` stroke-dasharray="${dasharray}"` : '';
  return `<span class="legend-item ${extra}"><svg width="26" height="8" aria-hidden="true"><line x1="1" y1="4" x2="25" y2="4" stroke="currentColor" stroke-width="1.5"${dash}/></svg>${escapeHtml(text)}</span>`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// Every colour comes from the theme's CSS variables (VS Code sets them on <html> and the
// body class says light, dark or high contrast); the fallbacks are for a plain browser.
const STYLES = `
:root {
  --sg-foreground: var(--vscode-editor-foreground, var(--vscode-foreground, #333333));
  --sg-background: var(--vscode-editor-background, #ffffff);
  --sg-accent: var(--vscode-focusBorder, var(--vscode-textLink-foreground, #0066cc));
  --sg-muted: var(--vscode-disabledForeground, var(--vscode-descriptionForeground, #888888));
  --sg-current: var(--vscode-editor-selectionBackground, #add6ff);
  --sg-match: var(--vscode-editor-findMatchHighlightBackground, rgba(234, 92, 0, 0.33));
  --sg-match-current: var(--vscode-editor-findMatchBackground, #a8ac94);
  --sg-match-border: var(--vscode-editor-findMatchBorder, var(--sg-accent));
}
html, body { margin: 0; padding: 0; height: 100%; }
body {
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--sg-background); color: var(--sg-foreground);
  font-family: var(--vscode-font-family, Arial, sans-serif);
  font-size: var(--vscode-font-size, 13px);
}
.toolbar {
  display: flex; flex-direction: column; gap: 4px;
  padding: 6px 12px; border-bottom: 1px solid var(--vscode-panel-border, var(--sg-muted));
}
.toolbar-row { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 12px; }
#summary { font-weight: 600; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 12px; color: var(--sg-foreground); }
.legend-item { display: inline-flex; align-items: center; gap: 4px; white-space: nowrap; }
.legend-item.muted { color: var(--sg-muted); }
.search { display: inline-flex; align-items: center; gap: 6px; flex: 1 1 180px; min-width: 0; }
#search {
  flex: 1 1 auto; min-width: 80px; max-width: 260px; font: inherit; padding: 2px 6px;
  color: var(--vscode-input-foreground, var(--sg-foreground));
  background: var(--vscode-input-background, var(--sg-background));
  border: 1px solid var(--vscode-input-border, var(--sg-muted)); border-radius: 2px;
}
#search:focus { outline: 1px solid var(--sg-accent); outline-offset: -1px; }
#search::placeholder { color: var(--vscode-input-placeholderForeground, var(--sg-muted)); }
#search-count { color: var(--vscode-descriptionForeground, var(--sg-muted)); white-space: nowrap; }
#search-count.none { color: var(--vscode-errorForeground, #c72e0f); }
.zoom { display: inline-flex; align-items: center; }
.controls button {
  font: inherit; cursor: pointer; padding: 2px 8px; min-width: 26px;
  color: var(--vscode-button-secondaryForeground, var(--sg-foreground));
  background: var(--vscode-button-secondaryBackground, transparent);
  border: 1px solid var(--vscode-button-border, var(--sg-muted)); border-radius: 2px;
}
.zoom button { border-radius: 0; }
.zoom button + button { border-left-width: 0; }
#zoom-level { min-width: 56px; font-variant-numeric: tabular-nums; }
.controls button:hover { background: var(--vscode-button-secondaryHoverBackground, transparent); }
.controls button[aria-pressed="true"] {
  color: var(--vscode-button-foreground, var(--sg-background));
  background: var(--vscode-button-background, var(--sg-accent));
}
.controls button:focus-visible { outline: 1px solid var(--sg-accent); outline-offset: 1px; }
#message { padding: 16px 12px; }
#message[hidden] { display: none; }
#message.error { color: var(--vscode-errorForeground, #c72e0f); }
#graph {
  flex: 1; min-height: 0; position: relative; overflow: clip;
  user-select: none; -webkit-user-select: none; touch-action: none; cursor: grab;
}
#graph:focus { outline: none; }
#graph:focus-visible { outline: 1px solid var(--sg-accent); outline-offset: -1px; }
#graph.panning { cursor: grabbing; }
#graph svg { display: block; width: 100%; height: 100%; }
#graph svg text { font-family: var(--vscode-font-family, Arial, sans-serif); }
#graph .node { cursor: pointer; }
#graph.panning .node { cursor: grabbing; }
#graph .node:hover > path { stroke-width: 2.5px; }
#graph .node.target:hover > path { stroke-width: 4px; }
#graph .node:focus { outline: none; }
#graph .node:focus-visible > path { stroke: var(--sg-accent); stroke-width: 2.5px; stroke-dasharray: 4 2; }
#graph .node.match > path { fill: var(--sg-match); }
#graph .node.match-current > path { fill: var(--sg-match-current); stroke: var(--sg-match-border); stroke-width: 2.5px; }
#graph .node.cursor > path { fill: var(--sg-current); stroke: var(--sg-accent); stroke-width: 3.5px; }
#graph .node.cursor text { fill: var(--sg-foreground); }
#graph .edge.cursor-edge > path { stroke-width: 2.4px; stroke-opacity: 1; }
#graph.compact .node text.detail { display: none; }
#graph.compact .node text.name {
  font-size: min(var(--sg-name-max, 12px), calc(12px / var(--sg-zoom, 1)));
  dominant-baseline: central;
  transform: translateY(var(--sg-dy, 0px));
}
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.probes { position: absolute; width: 0; height: 0; overflow: hidden; }
.probe-foreground { color: var(--sg-foreground); }
.probe-background { color: var(--sg-background); }
.probe-accent { color: var(--sg-accent); }
.probe-muted { color: var(--sg-muted); }
`.trim();
