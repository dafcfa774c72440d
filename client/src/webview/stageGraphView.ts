/**
 * The stage-graph webview's script (browser code, bundled by esbuild into dist/stageGraphView.js
 * as an IIFE, with Graphviz's WebAssembly embedded: nothing is fetched at run time).
 *
 * It receives a StageGraph from the panel, lays it out with Graphviz (@viz-js/viz) in the
 * theme's colours, and posts `{type: 'reveal', line}` when a stage is clicked. It re-renders
 * when the theme changes: VS Code sets the colour variables on <html> and the body class
 * (`vscode-light`, `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`).
 */
import { instance, type Viz } from '@viz-js/viz';
import { type DotTheme, type StageGraph, toDot } from '../../../server/src/features/stageGraph';
import type { FromStageGraphView, ToStageGraphView } from '../stageGraphMessages';

interface VsCodeApi {
  postMessage(message: FromStageGraphView): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const graphEl = document.getElementById('graph') as HTMLElement;
const messageEl = document.getElementById('message') as HTMLElement;
const summaryEl = document.getElementById('summary') as HTMLElement;
const fitButton = document.getElementById('fit') as HTMLButtonElement;

let graph: StageGraph | undefined;
let vizPromise: Promise<Viz> | undefined;
let renderScheduled = false;
let renders = 0;

window.addEventListener('message', (event: MessageEvent<ToStageGraphView>) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object') return;
  if (msg.type === 'graph') {
    graph = msg.graph;
    scheduleRender();
  } else if (msg.type === 'error') {
    showMessage(msg.message, true);
  }
});

// Theme changes: the body class switches between kinds; a theme of the same kind only
// changes the variables in <html>'s style attribute.
const themeObserver = new MutationObserver(scheduleRender);
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

fitButton.addEventListener('click', () => {
  const fit = !graphEl.classList.contains('fit');
  graphEl.classList.toggle('fit', fit);
  fitButton.setAttribute('aria-pressed', String(fit));
});

vscode.postMessage({ type: 'ready' });

function scheduleRender(): void {
  if (renderScheduled) return;
  renderScheduled = true;
  setTimeout(() => {
    renderScheduled = false;
    void render();
  }, 0);
}

async function render(): Promise<void> {
  const g = graph;
  if (!g) return;
  if (g.stages.length === 0) {
    graphEl.replaceChildren();
    summaryEl.textContent = 'No stages';
    showMessage('This file has no FROM instruction yet: the graph shows one node per stage.', false);
    markRendered('empty');
    return;
  }
  const theme = readTheme();
  let svg: SVGSVGElement;
  try {
    vizPromise ??= instance();
    const viz = await vizPromise;
    if (g !== graph) return; // a newer graph arrived while Graphviz was loading
    svg = viz.renderSVGElement(toDot(g, theme));
  } catch (e) {
    graphEl.replaceChildren();
    showMessage(`Could not draw the stage graph: ${e instanceof Error ? e.message : String(e)}`, true);
    markRendered('error');
    return;
  }
  prepare(svg, g);
  graphEl.replaceChildren(svg);
  summaryEl.textContent = summary(g);
  messageEl.hidden = true;
  messageEl.classList.remove('error');
  markRendered('graph');
}

/** Makes every stage node a button that reveals its FROM line. */
function prepare(svg: SVGSVGElement, g: StageGraph): void {
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', summary(g));
  const graphTitle = svg.querySelector('g.graph > title');
  if (graphTitle) graphTitle.textContent = 'Stage graph';
  for (const stage of g.stages) {
    const node = svg.querySelector<SVGGElement>(`g.node[id="stage-${stage.index}"]`);
    if (!node) continue;
    const state = stage.target ? 'the default target' : stage.reachable ? 'built by the default target' : 'not built by the default target';
    const description = `${stage.label}: FROM ${stage.base || '(no base)'}, line ${stage.line + 1}, ${state}`;
    const title = node.querySelector('title');
    if (title) title.textContent = `${description}\nClick to go to its FROM line`;
    node.setAttribute('tabindex', '0');
    node.setAttribute('role', 'button');
    node.setAttribute('aria-label', description);
    node.setAttribute('data-line', String(stage.line));
    const reveal = () => vscode.postMessage({ type: 'reveal', line: stage.line });
    node.addEventListener('click', reveal);
    node.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        reveal();
      }
    });
  }
}

function summary(g: StageGraph): string {
  const target = g.stages.find((s) => s.target);
  const unbuilt = g.stages.filter((s) => !s.reachable).length;
  let text = `${g.stages.length} ${g.stages.length === 1 ? 'stage' : 'stages'}`;
  if (target) text += ` · target: ${target.label}`;
  if (unbuilt > 0) text += ` · ${unbuilt} not built by default`;
  return text;
}

function showMessage(text: string, isError: boolean): void {
  messageEl.textContent = text;
  messageEl.hidden = false;
  messageEl.classList.toggle('error', isError);
}

/** For tests and for anyone inspecting the page: what the last render produced. */
function markRendered(what: 'graph' | 'empty' | 'error'): void {
  renders++;
  document.body.dataset.render = what;
  document.body.dataset.renders = String(renders);
}

/**
 * The theme's colours as Graphviz reads them (#rrggbb or #rrggbbaa), from the stylesheet's
 * probe elements. Text is laid out with Arial metrics, which Graphviz has, and shown in the
 * editor's UI font (the stylesheet overrides the SVG's font-family).
 */
function readTheme(): DotTheme {
  const probe = (name: string, fallback: string) => {
    const el = document.querySelector(`.probe-${name}`);
    return (el && cssColorToHex(getComputedStyle(el).color)) ?? fallback;
  };
  return {
    foreground: probe('foreground', '#333333'),
    background: probe('background', '#ffffff'),
    accent: probe('accent', '#0066cc'),
    muted: probe('muted', '#888888'),
    fontFamily: 'Arial',
  };
}

/** `rgb(1, 2, 3)`, `rgba(1, 2, 3, 0.5)` or `rgb(1 2 3 / 50%)` → `#010203` / `#01020380`. */
function cssColorToHex(color: string): string | undefined {
  const m = /^rgba?\(\s*([\d.]+)[\s,]+([\d.]+)[\s,]+([\d.]+)(?:\s*[,/]\s*([\d.]+)(%?))?\s*\)$/.exec(color.trim());
  if (!m) return undefined;
  const hex = (n: number) => Math.max(0, Math.min(255, Math.round(n))).toString(16).padStart(2, '0');
  let out = '#' + hex(+m[1]) + hex(+m[2]) + hex(+m[3]);
  if (m[4] !== undefined) {
    const alpha = m[5] === '%' ? +m[4] / 100 : +m[4];
    if (alpha < 1) out += hex(alpha * 255);
  }
  return out;
}
