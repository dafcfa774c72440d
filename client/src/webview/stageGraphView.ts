/**
 * The stage-graph webview's script (browser code, bundled by esbuild into dist/stageGraphView.js
 * as an IIFE, with Graphviz's WebAssembly embedded: nothing is fetched at run time).
 *
 * It receives a StageGraph from the panel, lays it out with Graphviz (@viz-js/viz) in the
 * theme's colours and shows it through a camera (zoom and pan are an SVG transform, not
 * scrolling), from 2 stages to 1,000:
 *   - it opens on the whole graph when that fits at a readable size, otherwise readable around
 *     the stage under the editor's cursor, which is highlighted and followed as the cursor moves;
 *   - Ctrl/Cmd+wheel and pinch zoom at the pointer, + and − (and the toolbar) zoom smoothly,
 *     0 fits the whole graph, dragging, the wheel and the arrow keys pan, C centres the current
 *     stage;
 *   - zoomed out, the details under a stage's name (its base, built or not) go when they would
 *     be smaller than DETAIL_MIN_PX, and the name grows into the space they leave, so that it
 *     stays readable as long as its box has room; zoomed in, the details come back;
 *   - a search box (Ctrl/Cmd+F) finds stages by name and centres each match in turn (Enter);
 *   - focus mode (F) lays out only the current stage, its ancestors and its dependents;
 *   - Tab moves through the stages, Enter or a click posts `{type: 'reveal', line}`.
 * The view (zoom, centre, mode, focus) is posted to the panel, which keeps it per file and
 * hands it back when that file's graph is shown again. It re-renders when the theme changes:
 * VS Code sets the colour variables on <html> and the body class (`vscode-light`,
 * `vscode-dark`, `vscode-high-contrast`, `vscode-high-contrast-light`).
 */
import { instance, type Viz } from '@viz-js/viz';
import { type DotTheme, type StageGraph, toDot } from '../../../server/src/features/stageGraph';
import { relatedStages, searchStages, stageAtLine, subgraph } from '../stageGraphLogic';
import type { FromStageGraphView, StageGraphViewReport, StageGraphViewState, ToStageGraphView } from '../stageGraphMessages';
import { layoutLarge, needsLargeLayout } from './largeLayout';

interface VsCodeApi {
  postMessage(message: FromStageGraphView): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

/** The font size toDot gives every label line, in layout units. */
const BASE_FONT = 12;
/** Below this many screen pixels the details under a name are not drawn. */
const DETAIL_MIN_PX = 9;
/** What opening, search and keyboard focus aim for: a name this many pixels high. */
const READABLE_PX = 12;
const MAX_ZOOM = 4;
/** Each + or − step. */
const ZOOM_STEP = 1.25;
const ANIMATION_MS = 180;
/** Blank space kept around the whole graph when it is fitted, in screen pixels. */
const FIT_MARGIN = 16;
/** A press that moves less than this is a click, not a drag. */
const DRAG_THRESHOLD = 4;
const SVG_NS = 'http://www.w3.org/2000/svg';

const vscode = acquireVsCodeApi();
const graphEl = document.getElementById('graph') as HTMLElement;
const messageEl = document.getElementById('message') as HTMLElement;
const summaryEl = document.getElementById('summary') as HTMLElement;
const fitButton = document.getElementById('fit') as HTMLButtonElement;
const focusButton = document.getElementById('focus-mode') as HTMLButtonElement;
const zoomInButton = document.getElementById('zoom-in') as HTMLButtonElement;
const zoomOutButton = document.getElementById('zoom-out') as HTMLButtonElement;
const zoomLevelButton = document.getElementById('zoom-level') as HTMLButtonElement;
const searchInput = document.getElementById('search') as HTMLInputElement;
const searchCount = document.getElementById('search-count') as HTMLElement;

interface NodeBox {
  index: number;
  el: SVGGElement;
  /** The box, in layout units. */
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Layout {
  /** The DOT it was drawn from: the same DOT is not laid out again. */
  key: string;
  svg: SVGSVGElement;
  camera: SVGGElement;
  width: number;
  height: number;
  nodes: Map<number, NodeBox>;
  /** Edges by the stages they join. */
  edges: { el: SVGGElement; from: number; to: number }[];
  /** The stages drawn. */
  shown: StageGraph;
}

interface View {
  zoom: number;
  x: number;
  y: number;
}

// What the panel told us.
let graph: StageGraph | undefined;
let documentUri: string | null = null;
let cursorLine: number | null = null;
let cursorStage: number | null = null;
// What is drawn and how it is looked at.
let layout: Layout | undefined;
let view: View = { zoom: 1, x: 0, y: 0 };
let mode: StageGraphViewState['mode'] = 'auto';
let focusMode = false;
/** The stage focus mode was laid out around. */
let focusSubject: number | null = null;
/** A view to restore at the next render (the document changed). */
let pendingView: StageGraphViewState | null = null;
let renderWhat: 'none' | 'graph' | 'empty' | 'error' = 'none';
/** The document whose graph `layout` is (its view is posted under that URI only). */
let layoutDocument: string | null = null;
let lastDot: string | undefined;
// Search.
let matches: number[] = [];
let matchAt = -1;

let vizPromise: Promise<Viz> | undefined;
let renderScheduled = false;
let renders = 0;

window.addEventListener('message', (event: MessageEvent<ToStageGraphView>) => {
  const msg = event.data;
  if (!msg || typeof msg !== 'object') return;
  switch (msg.type) {
    case 'graph': {
      const next = msg.document?.uri ?? documentUri;
      const switching = next !== documentUri || renderWhat === 'none';
      // The view of the document shown until now goes to the panel before another is shown.
      if (switching) flushViewState();
      if (msg.document) {
        documentUri = msg.document.uri;
        document.title = `Stages: ${msg.document.name}`;
      }
      if (switching) {
        pendingView = msg.viewState ?? null;
        focusMode = pendingView?.focus ?? false;
        mode = pendingView?.mode ?? 'auto';
        focusSubject = null;
        updateFocusButton();
      }
      if (msg.cursorLine !== undefined) cursorLine = msg.cursorLine;
      graph = msg.graph;
      cursorStage = stageAtLine(graph.stages, cursorLine);
      scheduleRender();
      break;
    }
    case 'error':
      showMessage(msg.message, true);
      break;
    case 'cursor':
      if (msg.uri !== undefined && documentUri !== null && msg.uri !== documentUri) return;
      cursorLine = msg.line;
      if (graph) cursorMoved(stageAtLine(graph.stages, cursorLine));
      break;
    case 'queryState':
      vscode.postMessage({ type: 'state', id: msg.id, report: report() });
      break;
  }
});

// Theme changes: the body class switches between kinds; a theme of the same kind only
// changes the variables in <html>'s style attribute.
const themeObserver = new MutationObserver(scheduleRender);
themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });

new ResizeObserver(() => {
  if (!layout) return;
  if (mode === 'manual') applyView();
  else setView(autoView(), false);
}).observe(graphEl);

fitButton.addEventListener('click', () => fitAll(true));
zoomInButton.addEventListener('click', () => zoomBy(ZOOM_STEP));
zoomOutButton.addEventListener('click', () => zoomBy(1 / ZOOM_STEP));
zoomLevelButton.addEventListener('click', () => zoomTo(1));
focusButton.addEventListener('click', () => toggleFocus());
setupPointer();
setupKeyboard();
setupSearch();
window.addEventListener('pagehide', flushViewState);
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'hidden') flushViewState();
});

vscode.postMessage({ type: 'ready' });

// ---------------------------------------------------------------------------------------------
// Rendering

function scheduleRender(): void {
  if (renderScheduled) return;
  renderScheduled = true;
  setTimeout(() => {
    renderScheduled = false;
    void render();
  }, 0);
}

/** The stages drawn: all, or in focus mode the current stage's ancestors and dependents. */
function shownGraph(g: StageGraph): StageGraph {
  if (!focusMode) {
    focusSubject = null;
    return g;
  }
  const subject = cursorStage ?? g.stages.find((s) => s.target)?.index ?? g.stages[g.stages.length - 1].index;
  focusSubject = subject;
  return subgraph(g, relatedStages(g, subject));
}

async function render(): Promise<void> {
  const g = graph;
  if (!g) return;
  if (g.stages.length === 0) {
    graphEl.replaceChildren();
    layout = undefined;
    lastDot = undefined;
    summaryEl.textContent = 'No stages';
    showMessage('This file has no FROM instruction yet: the graph shows one node per stage.', false);
    markRendered('empty');
    return;
  }
  const shown = shownGraph(g);
  const theme = readTheme();
  const dot = toDot(shown, theme);
  const relayout = dot !== lastDot || !layout;
  if (relayout) {
    let svg: SVGSVGElement;
    try {
      if (needsLargeLayout(shown)) {
        svg = layoutLarge(shown, theme);
      } else {
        vizPromise ??= instance();
        const viz = await vizPromise;
        if (g !== graph) return; // a newer graph arrived while Graphviz was loading
        svg = viz.renderSVGElement(dot);
      }
    } catch (e) {
      vizPromise = undefined; // a failed run may leave Graphviz's memory in any state
      graphEl.replaceChildren();
      layout = undefined;
      lastDot = undefined;
      showMessage(`Could not draw the stage graph: ${e instanceof Error ? e.message : String(e)}`, true);
      markRendered('error');
      return;
    }
    const previous = layout;
    layout = install(svg, shown, dot);
    layoutDocument = documentUri;
    lastDot = dot;
    chooseView(previous);
  } else {
    // The same drawing: only lines and descriptions may have moved (or another document has
    // the very same graph, and its own view).
    const otherDocument = layoutDocument !== documentUri;
    layout!.shown = shown;
    layoutDocument = documentUri;
    describeNodes(layout!);
    if (otherDocument) chooseView(undefined);
  }
  summaryEl.textContent = summary(g, shown);
  messageEl.hidden = true;
  messageEl.classList.remove('error');
  highlightCursor();
  refreshSearch(false);
  markRendered('graph');
}

/** Puts Graphviz's SVG in the page behind a camera, and measures its stages. */
function install(svg: SVGSVGElement, shown: StageGraph, key: string): Layout {
  const box = svg.viewBox.baseVal;
  const width = box && box.width > 0 ? box.width : parseFloat(svg.getAttribute('width') ?? '100');
  const height = box && box.height > 0 ? box.height : parseFloat(svg.getAttribute('height') ?? '100');
  for (const a of ['width', 'height', 'viewBox']) svg.removeAttribute(a);
  svg.setAttribute('role', 'group');
  svg.setAttribute('aria-label', summary(graph ?? shown, shown));
  const graphTitle = svg.querySelector('g.graph > title');
  if (graphTitle) graphTitle.textContent = 'Stage graph';
  const camera = document.createElementNS(SVG_NS, 'g');
  camera.setAttribute('class', 'camera');
  while (svg.firstChild) camera.appendChild(svg.firstChild);
  svg.appendChild(camera);
  graphEl.replaceChildren(svg);

  // Graphviz draws in its own space: (x, -y) moved by the graph group's translate.
  const graphGroup = camera.querySelector<SVGGElement>('g.graph');
  const m = graphGroup?.transform.baseVal.consolidate()?.matrix;
  const [a, d, e, f] = m ? [m.a, m.d, m.e, m.f] : [1, 1, 0, 0];
  const nodes = new Map<number, NodeBox>();
  for (const el of camera.querySelectorAll<SVGGElement>('g.node')) {
    const index = Number(/^stage-(\d+)$/.exec(el.id)?.[1] ?? NaN);
    if (!Number.isInteger(index)) continue;
    const shape = el.querySelector<SVGGraphicsElement>('path, polygon, rect, ellipse') ?? el;
    const b = shape.getBBox();
    const texts = [...el.querySelectorAll<SVGTextElement>('text')];
    texts.forEach((t, i) => t.classList.add(i === 0 ? 'name' : 'detail'));
    const name = texts[0];
    if (name) fitName(name, b);
    nodes.set(index, { index, el, x: a * b.x + e, y: d * b.y + f, w: a * b.width, h: d * b.height });
  }
  const edges: Layout['edges'] = [];
  for (const el of camera.querySelectorAll<SVGGElement>('g.edge')) {
    const m2 = /^edge-(\d+)-(\d+)-/.exec(el.id);
    if (m2) edges.push({ el, from: Number(m2[1]), to: Number(m2[2]) });
  }
  const out: Layout = { key, svg, camera, width, height, nodes, edges, shown };
  describeNodes(out);
  return out;
}

/**
 * How big a stage's name may grow when the details under it are hidden: as wide as its box
 * allows and at most about half its height; and how far to move it to the box's middle. Set as
 * CSS variables, which the stylesheet's `.compact` rule reads.
 */
function fitName(name: SVGTextElement, box: DOMRect): void {
  const fontPx = parseFloat(getComputedStyle(name).fontSize) || BASE_FONT;
  const length = name.getComputedTextLength() / fontPx * BASE_FONT;
  const byWidth = length > 0 ? (0.88 * box.width * BASE_FONT) / length : BASE_FONT;
  const max = Math.max(BASE_FONT, Math.min(byWidth, 0.55 * box.height));
  const y = parseFloat(name.getAttribute('y') ?? '0');
  name.style.setProperty('--sg-name-max', `${max.toFixed(2)}px`);
  name.style.setProperty('--sg-dy', `${(box.y + box.height / 2 - y).toFixed(2)}px`);
}

/** Makes every stage a button that reveals its FROM line, with a description. */
function describeNodes(l: Layout): void {
  const byIndex = new Map((graph?.stages ?? l.shown.stages).map((s) => [s.index, s]));
  for (const [index, n] of l.nodes) {
    const stage = byIndex.get(index);
    if (!stage) continue;
    const state = stage.target ? 'the default target' : stage.reachable ? 'built by the default target' : 'not built by the default target';
    const description = `${stage.label}: FROM ${stage.base || '(no base)'}, line ${stage.line + 1}, ${state}`;
    const title = n.el.querySelector('title');
    if (title) title.textContent = `${description}\nClick to go to its FROM line`;
    n.el.setAttribute('tabindex', '0');
    n.el.setAttribute('role', 'button');
    n.el.setAttribute('aria-label', description);
    n.el.dataset.line = String(stage.line);
    n.el.dataset.index = String(index);
  }
}

function summary(g: StageGraph, shown: StageGraph): string {
  const target = g.stages.find((s) => s.target);
  const unbuilt = g.stages.filter((s) => !s.reachable).length;
  let text = `${g.stages.length} ${g.stages.length === 1 ? 'stage' : 'stages'}`;
  if (target) text += ` · target: ${target.label}`;
  if (unbuilt > 0) text += ` · ${unbuilt} not built by default`;
  if (shown !== g) {
    const subject = g.stages.find((s) => s.index === focusSubject);
    text += ` · focus: ${shown.stages.length} around ${subject?.label ?? 'the current stage'}`;
  }
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
  renderWhat = what;
  document.body.dataset.render = what;
  document.body.dataset.renders = String(renders);
}

// ---------------------------------------------------------------------------------------------
// The camera

function viewportSize(): { w: number; h: number } {
  return { w: Math.max(1, graphEl.clientWidth), h: Math.max(1, graphEl.clientHeight) };
}

function fitZoom(l: Layout): number {
  const { w, h } = viewportSize();
  return Math.max(0.01, Math.min((w - 2 * FIT_MARGIN) / l.width, (h - 2 * FIT_MARGIN) / l.height));
}

function minZoom(l: Layout): number {
  return Math.min(0.5, fitZoom(l) * 0.8);
}

function clampZoom(z: number): number {
  return layout ? Math.max(minZoom(layout), Math.min(MAX_ZOOM, z)) : z;
}

/** The zoom at which a stage's name reads at READABLE_PX: where the details are drawn, or zoomed out with its grown name. */
function readableZoom(index: number | null): number {
  const detailed = READABLE_PX / BASE_FONT;
  const compact = READABLE_PX / grownNameFont(index);
  // Zoomed out (compact) only where the name really grows: else the details may as well show.
  return BASE_FONT * compact < DETAIL_MIN_PX ? compact : detailed;
}

/** The size a stage's name is drawn at, at zoom `z` (grown into the details' room when they are hidden). */
function namePxAt(index: number, z: number): number {
  return BASE_FONT * z >= DETAIL_MIN_PX ? BASE_FONT * z : grownNameFont(index) * z;
}

/** The font size (at zoom 1) a stage's name grows to when the details are hidden. */
function grownNameFont(index: number | null): number {
  const name = index === null ? undefined : layout?.nodes.get(index)?.el.querySelector<SVGTextElement>('text.name');
  return name ? parseFloat(name.style.getPropertyValue('--sg-name-max')) || BASE_FONT : BASE_FONT;
}

/**
 * Keeps the graph in the panel: on an axis where it is wider than the panel no blank beyond
 * its edges; where it is narrower, centred.
 */
function clampCentre(v: View): View {
  if (!layout) return v;
  const { w, h } = viewportSize();
  const axis = (c: number, size: number, screen: number) => {
    const half = screen / 2 / v.zoom;
    return size * v.zoom <= screen ? size / 2 : Math.max(half, Math.min(size - half, c));
  };
  return { zoom: v.zoom, x: axis(v.x, layout.width, w), y: axis(v.y, layout.height, h) };
}

/** Panning by hand may go further, but never so far that the graph leaves the panel's middle. */
function boundCentre(v: View): View {
  if (!layout) return v;
  return { zoom: v.zoom, x: Math.max(0, Math.min(layout.width, v.x)), y: Math.max(0, Math.min(layout.height, v.y)) };
}

/** The subject of the view: the cursor's stage, or the default target, or the last stage. */
function subjectStage(): number | null {
  if (!layout) return null;
  if (focusSubject !== null && layout.nodes.has(focusSubject) && !layout.nodes.has(cursorStage ?? -1)) return focusSubject;
  if (cursorStage !== null && layout.nodes.has(cursorStage)) return cursorStage;
  const target = layout.shown.stages.find((s) => s.target);
  if (target && layout.nodes.has(target.index)) return target.index;
  const last = layout.shown.stages[layout.shown.stages.length - 1];
  return last ? last.index : null;
}

/** As the graph opens: whole if it fits at a readable size, else readable around the subject. */
function autoView(): View {
  if (!layout) return view;
  if (mode === 'fit') return fitView();
  const subject = subjectStage();
  const fit = fitZoom(layout);
  const zoom = Math.min(1, Math.max(fit, readableZoom(subject)));
  if (zoom <= fit) return { zoom, x: layout.width / 2, y: layout.height / 2 };
  const n = subject === null ? undefined : layout.nodes.get(subject);
  const at = n ? { x: n.x + n.w / 2, y: n.y + n.h / 2 } : { x: layout.width / 2, y: layout.height / 2 };
  return clampCentre({ zoom, ...at });
}

function fitView(): View {
  if (!layout) return view;
  return { zoom: fitZoom(layout), x: layout.width / 2, y: layout.height / 2 };
}

/** After a new layout: the saved view of a file just shown, or the view the mode asks for. */
function chooseView(previous: Layout | undefined): void {
  if (!layout) return;
  if (pendingView) {
    const saved = pendingView;
    pendingView = null;
    if (saved.mode === 'manual') {
      setView(boundCentre({ zoom: clampZoom(saved.zoom), x: saved.x, y: saved.y }), false);
      return;
    }
  }
  if (mode === 'manual' && previous && previous.shown.stages.length === layout.shown.stages.length) {
    // The same stages drawn again (an edit, a theme): stay where the person was.
    setView(boundCentre({ ...view, zoom: clampZoom(view.zoom) }), false);
    return;
  }
  if (mode === 'manual') mode = 'auto';
  setView(autoView(), false);
}

let animation: number | undefined;
/** The view the animation under way ends on. */
let pendingTarget: View | undefined;

function reducedMotion(): boolean {
  return window.matchMedia('(prefers-reduced-motion: reduce)').matches;
}

/** Moves the camera, smoothly unless asked not to or the person prefers less motion. */
function setView(target: View, animate: boolean): void {
  if (animation !== undefined) cancelAnimationFrame(animation);
  animation = undefined;
  pendingTarget = target;
  if (!animate || reducedMotion() || document.visibilityState === 'hidden') {
    view = target;
    applyView();
    document.body.dataset.camera = 'still';
    return;
  }
  const from = view;
  const start = performance.now();
  document.body.dataset.camera = 'moving';
  const step = (now: number) => {
    const t = Math.min(1, (now - start) / ANIMATION_MS);
    const k = 1 - Math.pow(1 - t, 3);
    // Zoom moves geometrically (each frame the same ratio); the centre linearly.
    view = {
      zoom: from.zoom * Math.pow(target.zoom / from.zoom, k),
      x: from.x + (target.x - from.x) * k,
      y: from.y + (target.y - from.y) * k,
    };
    applyView();
    if (t < 1) {
      animation = requestAnimationFrame(step);
    } else {
      animation = undefined;
      view = target;
      applyView();
      document.body.dataset.camera = 'still';
    }
  };
  animation = requestAnimationFrame(step);
}

function applyView(): void {
  if (!layout) return;
  const { w, h } = viewportSize();
  const z = view.zoom;
  layout.camera.setAttribute('transform', `translate(${(w / 2 - view.x * z).toFixed(2)} ${(h / 2 - view.y * z).toFixed(2)}) scale(${z.toFixed(5)})`);
  graphEl.style.setProperty('--sg-zoom', z.toFixed(5));
  const compact = BASE_FONT * z < DETAIL_MIN_PX;
  graphEl.classList.toggle('compact', compact);
  zoomLevelButton.textContent = `${Math.round(z * 100)} %`;
  zoomLevelButton.setAttribute('aria-label', `Zoom ${Math.round(z * 100)} %; press to zoom to 100 %`);
  document.body.dataset.zoom = z.toFixed(4);
  document.body.dataset.detail = compact ? 'names' : 'full';
  scheduleViewState();
}

/** Zooms by `factor` keeping the layout point under (sx, sy) — by default the panel's middle — where it is. */
function zoomBy(factor: number, sx?: number, sy?: number, animate = true): void {
  if (!layout) return;
  zoomAround(clampZoom(movingTo().zoom * factor), sx, sy, animate);
}

/** Where the camera is going: the end of the animation under way, or where it is. */
function movingTo(): View {
  return animation !== undefined && pendingTarget ? pendingTarget : view;
}

function zoomTo(z: number): void {
  zoomAround(clampZoom(z), undefined, undefined, true);
}

function zoomAround(zoom: number, sx: number | undefined, sy: number | undefined, animate: boolean): void {
  if (!layout) return;
  const { w, h } = viewportSize();
  const px = sx ?? w / 2;
  const py = sy ?? h / 2;
  const base = movingTo();
  // The layout point under (px, py) stays there.
  const lx = base.x + (px - w / 2) / base.zoom;
  const ly = base.y + (py - h / 2) / base.zoom;
  const target = boundCentre({ zoom, x: lx - (px - w / 2) / zoom, y: ly - (py - h / 2) / zoom });
  mode = 'manual';
  setView(target, animate);
}

function panBy(dx: number, dy: number, animate = false): void {
  if (!layout) return;
  mode = 'manual';
  const base = movingTo();
  const target = boundCentre({ zoom: base.zoom, x: base.x + dx / base.zoom, y: base.y + dy / base.zoom });
  setView(target, animate);
}

function fitAll(animate: boolean): void {
  if (!layout) return;
  mode = 'fit';
  setView(fitView(), animate);
}

/** Whether stage `index`'s box is wholly in the panel. */
function inView(index: number, v: View = view): boolean {
  const n = layout?.nodes.get(index);
  if (!n) return false;
  const { w, h } = viewportSize();
  const left = v.x - w / 2 / v.zoom;
  const top = v.y - h / 2 / v.zoom;
  return n.x >= left && n.y >= top && n.x + n.w <= left + w / v.zoom && n.y + n.h <= top + h / v.zoom;
}

/** Centres stage `index`, zooming in first when its name would read smaller than READABLE_PX. */
function centreOn(index: number, animate: boolean, keepMode = false): void {
  const n = layout?.nodes.get(index);
  if (!n) return;
  // Readable as drawn now? Between the zoom where the name grows (details hidden) and the one
  // where the details' name reaches READABLE_PX, it is not, though the zoom is above the first.
  const readable = namePxAt(index, view.zoom) >= READABLE_PX * 0.999;
  const zoom = readable ? view.zoom : Math.min(MAX_ZOOM, BASE_FONT * view.zoom >= DETAIL_MIN_PX ? READABLE_PX / BASE_FONT : readableZoom(index));
  if (!keepMode) mode = 'manual';
  setView({ zoom, x: n.x + n.w / 2, y: n.y + n.h / 2 }, animate);
}

// ---------------------------------------------------------------------------------------------
// The cursor's stage and focus mode

function cursorMoved(stage: number | null): void {
  if (stage === cursorStage) return;
  cursorStage = stage;
  if (!layout) return;
  if (focusMode && stage !== null && stage !== focusSubject) {
    // Focus follows the cursor: lay out the new stage's family.
    mode = 'auto';
    scheduleRender();
    return;
  }
  highlightCursor();
  if (stage === null || !layout.nodes.has(stage)) return;
  if (mode === 'auto') setView(autoView(), true);
  else if (!inView(stage)) centreOn(stage, true, true);
}

function highlightCursor(): void {
  if (!layout) return;
  for (const n of layout.nodes.values()) n.el.classList.toggle('cursor', n.index === cursorStage);
  for (const e of layout.edges) e.el.classList.toggle('cursor-edge', e.from === cursorStage || e.to === cursorStage);
  document.body.dataset.currentStage = cursorStage === null ? '' : String(cursorStage);
}

function toggleFocus(): void {
  focusMode = !focusMode;
  mode = 'auto';
  updateFocusButton();
  scheduleViewState();
  scheduleRender();
}

function updateFocusButton(): void {
  focusButton.setAttribute('aria-pressed', String(focusMode));
  document.body.dataset.focus = String(focusMode);
}

// ---------------------------------------------------------------------------------------------
// Pointer: drag to pan, wheel to pan, Ctrl/Cmd+wheel and pinch to zoom, click to reveal

function setupPointer(): void {
  let press: { id: number; x: number; y: number; dragging: boolean } | undefined;
  let suppressClick = false;

  graphEl.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 || !layout) return;
    press = { id: e.pointerId, x: e.clientX, y: e.clientY, dragging: false };
  });
  graphEl.addEventListener('pointermove', (e) => {
    if (!press || e.pointerId !== press.id) return;
    const dx = e.clientX - press.x;
    const dy = e.clientY - press.y;
    if (!press.dragging) {
      if (Math.hypot(dx, dy) < DRAG_THRESHOLD) return;
      press.dragging = true;
      graphEl.setPointerCapture(e.pointerId);
      graphEl.classList.add('panning');
    }
    press.x = e.clientX;
    press.y = e.clientY;
    panBy(-dx, -dy);
  });
  const release = (e: PointerEvent) => {
    if (!press || e.pointerId !== press.id) return;
    if (press.dragging) suppressClick = true;
    press = undefined;
    graphEl.classList.remove('panning');
    if (graphEl.hasPointerCapture(e.pointerId)) graphEl.releasePointerCapture(e.pointerId);
  };
  graphEl.addEventListener('pointerup', release);
  graphEl.addEventListener('pointercancel', release);
  // A drag ends with a click on whatever is under the pointer: not a reveal.
  graphEl.addEventListener('click', (e) => {
    if (suppressClick) {
      suppressClick = false;
      e.stopPropagation();
      return;
    }
    const node = (e.target as Element).closest?.('g.node');
    if (node instanceof SVGGElement) reveal(node);
  });
  graphEl.addEventListener('pointerdown', () => {
    suppressClick = false;
  }, { capture: true });

  graphEl.addEventListener('wheel', (e) => {
    if (!layout) return;
    e.preventDefault();
    const unit = e.deltaMode === 1 ? 16 : e.deltaMode === 2 ? viewportSize().h : 1;
    const rect = graphEl.getBoundingClientRect();
    if (e.ctrlKey || e.metaKey) {
      // A mouse wheel's notch is about 100 px, a pinch's events a few px each.
      zoomBy(Math.exp(-e.deltaY * unit * 0.0025), e.clientX - rect.left, e.clientY - rect.top, false);
    } else {
      const dx = e.shiftKey && e.deltaX === 0 ? e.deltaY : e.deltaX;
      const dy = e.shiftKey && e.deltaX === 0 ? 0 : e.deltaY;
      panBy(dx * unit, dy * unit);
    }
  }, { passive: false });
}

function reveal(node: Element): void {
  const line = Number((node as SVGGElement).dataset.line);
  if (!Number.isInteger(line) || line < 0) return;
  vscode.postMessage(documentUri ? { type: 'reveal', line, uri: documentUri } : { type: 'reveal', line });
}

// ---------------------------------------------------------------------------------------------
// Keyboard

function setupKeyboard(): void {
  // Keys the page handles go no further: VS Code forwards the page's keys to its own
  // keybindings from the window, so Ctrl+F would also open the editor's find.
  document.addEventListener('keydown', (e) => {
    const inSearch = e.target === searchInput;
    const mod = e.ctrlKey || e.metaKey;
    const handled = () => {
      e.preventDefault();
      e.stopPropagation();
    };
    if (mod && !e.altKey && (e.key === 'f' || e.key === 'F')) {
      handled();
      searchInput.focus();
      searchInput.select();
      return;
    }
    if (inSearch || e.altKey || (mod && !['+', '=', '-', '_', '0'].includes(e.key))) return;
    const node = (e.target as Element).closest?.('g.node');
    if (node && (e.key === 'Enter' || e.key === ' ')) {
      handled();
      reveal(node);
      return;
    }
    const { w, h } = viewportSize();
    switch (e.key) {
      case '+': case '=': case 'Add':
        handled();
        zoomBy(ZOOM_STEP);
        return;
      case '-': case '_': case '−': case 'Subtract':
        handled();
        zoomBy(1 / ZOOM_STEP);
        return;
      case '0':
        handled();
        fitAll(true);
        return;
      case '1':
        handled();
        zoomTo(1);
        return;
      case 'c': case 'C': {
        const subject = subjectStage();
        if (subject === null) return;
        handled();
        centreOn(subject, true);
        return;
      }
      case 'f': case 'F':
        handled();
        toggleFocus();
        return;
      case '/':
        handled();
        searchInput.focus();
        searchInput.select();
        return;
      case 'ArrowLeft': handled(); panBy(-w / 5, 0, true); return;
      case 'ArrowRight': handled(); panBy(w / 5, 0, true); return;
      case 'ArrowUp': handled(); panBy(0, -h / 5, true); return;
      case 'ArrowDown': handled(); panBy(0, h / 5, true); return;
    }
  });

  // A stage reached with Tab comes into view (at a readable size).
  graphEl.addEventListener('focusin', (e) => {
    const node = (e.target as Element).closest?.('g.node');
    if (!(node instanceof SVGGElement) || !layout) return;
    const index = Number(node.dataset.index);
    if (!inView(index) || view.zoom < readableZoom(index) * 0.5) centreOn(index, true);
  });
  // Focus must not scroll the panel: the camera shows what is focused.
  graphEl.addEventListener('scroll', () => {
    graphEl.scrollTop = 0;
    graphEl.scrollLeft = 0;
  });
}

// ---------------------------------------------------------------------------------------------
// Search

function setupSearch(): void {
  searchInput.addEventListener('input', () => refreshSearch(true));
  searchInput.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      if (matches.length === 0) refreshSearch(true);
      else stepMatch(e.shiftKey ? -1 : 1);
    } else if (e.key === 'Escape') {
      e.preventDefault();
      e.stopPropagation();
      searchInput.value = '';
      refreshSearch(false);
      graphEl.focus({ preventScroll: true });
    }
  });
}

/** Finds the query's stages among those drawn; `jump`: centre the first. */
function refreshSearch(jump: boolean): void {
  const query = searchInput.value;
  const previous = matchAt >= 0 ? matches[matchAt] : undefined;
  const shown = layout?.shown.stages ?? [];
  matches = searchStages(shown, query);
  const hidden = focusMode && graph ? searchStages(graph.stages, query).length - matches.length : 0;
  matchAt = matches.length === 0 ? -1 : jump || previous === undefined ? 0 : Math.max(0, matches.indexOf(previous));
  paintMatches();
  let text = '';
  if (query.trim() !== '') {
    text = matches.length === 0 ? 'No stage' : `${matchAt + 1} of ${matches.length}`;
    if (hidden > 0) text += ` (${hidden} outside focus)`;
  }
  searchCount.textContent = text;
  searchCount.classList.toggle('none', query.trim() !== '' && matches.length === 0);
  if (jump && matchAt >= 0) centreOn(matches[matchAt], true);
}

function stepMatch(by: number): void {
  if (matches.length === 0) return;
  matchAt = (matchAt + by + matches.length) % matches.length;
  paintMatches();
  const hidden = focusMode && graph ? searchStages(graph.stages, searchInput.value).length - matches.length : 0;
  searchCount.textContent = `${matchAt + 1} of ${matches.length}` + (hidden > 0 ? ` (${hidden} outside focus)` : '');
  centreOn(matches[matchAt], true);
}

function paintMatches(): void {
  if (!layout) return;
  const set = new Set(matches);
  const current = matchAt >= 0 ? matches[matchAt] : undefined;
  for (const n of layout.nodes.values()) {
    n.el.classList.toggle('match', set.has(n.index) && n.index !== current);
    n.el.classList.toggle('match-current', n.index === current);
  }
  document.body.dataset.match = current === undefined ? '' : String(current);
}

// ---------------------------------------------------------------------------------------------
// The view, kept by the panel per file

let viewStateTimer: ReturnType<typeof setTimeout> | undefined;

function currentViewState(): StageGraphViewState {
  const v = movingTo();
  return { mode, zoom: v.zoom, x: v.x, y: v.y, focus: focusMode };
}

function scheduleViewState(): void {
  if (!layoutDocument || !layout) return;
  if (viewStateTimer !== undefined) return;
  viewStateTimer = setTimeout(flushViewState, 250);
}

function flushViewState(): void {
  if (viewStateTimer !== undefined) clearTimeout(viewStateTimer);
  viewStateTimer = undefined;
  if (!layoutDocument || !layout) return;
  vscode.postMessage({ type: 'viewState', uri: layoutDocument, state: currentViewState() });
}

function report(): StageGraphViewReport {
  const nodes = layout ? [...layout.nodes.values()] : [];
  return {
    uri: documentUri,
    render: renderWhat,
    cursorStage,
    highlighted: nodes.filter((n) => n.el.classList.contains('cursor')).map((n) => n.index),
    shown: nodes.map((n) => n.index),
    zoom: view.zoom,
    mode,
    focus: focusMode,
  };
}

// ---------------------------------------------------------------------------------------------
// Theme

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
