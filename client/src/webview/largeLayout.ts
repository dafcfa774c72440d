/**
 * A layout for graphs too big for Graphviz in the page. dot's cost grows with the number of
 * ranks each edge crosses (it routes an edge through a virtual node in every rank between its
 * ends): a generated 300-stage file where each stage uses the one before and a few far earlier
 * takes it minutes, and 1,000 such stages overflow its stack (100 take it 1 to 2 s, moby's 59
 * stages with their 96 edges 0.3 s). Past LARGE_COST this draws the
 * same picture more simply, in milliseconds:
 *   - columns by longest path from the bases (data flows left to right, as in toDot);
 *   - within a column, stages ordered by a few sweeps of the barycentre of their neighbours;
 *   - edges as curves from the used stage to its user, over the columns between.
 * The SVG has Graphviz's structure (`g.graph` > `g.node#stage-N` with a title, a path and one
 * text per label line; `g.edge#edge-F-T-KIND` with a path and an arrowhead), so that the view
 * treats both alike.
 */
import type { DotTheme, StageGraph, StageGraphEdgeKind } from '../../../server/src/features/stageGraph';

/** Stages plus the rank crossings of their edges above which Graphviz is not used. */
export const LARGE_COST = 1500;

const SVG_NS = 'http://www.w3.org/2000/svg';
const FONT_SIZE = 12;
const LINE_HEIGHT = 14.4;
const MARGIN_X = 13;
const MARGIN_Y = 6;
const RANK_GAP = 48;
const NODE_GAP = 18;
const PAD = 14;
const MAX_BASE_LENGTH = 40;
/** How far at most an edge that skips columns bows away from the row. */
const MAX_LIFT = 360;

/** Each stage's column: 0 for one built on no other stage, else one more than its deepest earlier dependency's. */
export function columns(graph: StageGraph): Map<number, number> {
  const deps = new Map<number, number[]>();
  for (const e of graph.edges) {
    if (e.to >= e.from) continue; // a reference to a later stage (an error): drawn, not ranked
    (deps.get(e.from) ?? deps.set(e.from, []).get(e.from)!).push(e.to);
  }
  const rank = new Map<number, number>();
  for (const s of [...graph.stages].sort((a, b) => a.index - b.index)) {
    let r = 0;
    for (const d of deps.get(s.index) ?? []) {
      const dr = rank.get(d);
      if (dr !== undefined) r = Math.max(r, dr + 1);
    }
    rank.set(s.index, r);
  }
  return rank;
}

/** What Graphviz would route: every stage, and every rank an edge crosses between its ends. */
export function layoutCost(graph: StageGraph): number {
  const rank = columns(graph);
  let cost = graph.stages.length;
  for (const e of graph.edges) {
    const a = rank.get(e.to);
    const b = rank.get(e.from);
    if (a !== undefined && b !== undefined) cost += Math.max(0, Math.abs(b - a) - 1);
  }
  return cost;
}

export function needsLargeLayout(graph: StageGraph): boolean {
  return layoutCost(graph) > LARGE_COST;
}

const DASH: Record<StageGraphEdgeKind, string | undefined> = { base: undefined, copy: '5,2', mount: '1,5', variable: '5,2' };

export function layoutLarge(graph: StageGraph, theme: DotTheme): SVGSVGElement {
  const measure = textMeasurer(theme.fontFamily);
  const rank = columns(graph);
  const stages = graph.stages;
  const lines = new Map<number, string[]>();
  const size = new Map<number, { w: number; h: number }>();
  for (const s of stages) {
    const ls = [s.label];
    if (s.base !== '') ls.push(`FROM ${truncate(s.base, MAX_BASE_LENGTH)}`);
    if (s.target) ls.push('(target)');
    else if (!s.reachable) ls.push('(not built)');
    lines.set(s.index, ls);
    const w = Math.max(...ls.map(measure)) + 2 * MARGIN_X;
    size.set(s.index, { w: Math.max(54, w), h: ls.length * LINE_HEIGHT + 2 * MARGIN_Y });
  }

  // Columns, each ordered by the barycentre of the neighbours' positions, sweeping both ways.
  const cols: number[][] = [];
  for (const s of stages) (cols[rank.get(s.index)!] ??= []).push(s.index);
  const neighbours = new Map<number, number[]>();
  for (const e of graph.edges) {
    (neighbours.get(e.from) ?? neighbours.set(e.from, []).get(e.from)!).push(e.to);
    (neighbours.get(e.to) ?? neighbours.set(e.to, []).get(e.to)!).push(e.from);
  }
  const position = new Map<number, number>();
  const place = () => cols.forEach((col) => col?.forEach((n, i) => position.set(n, i / Math.max(1, col.length - 1))));
  place();
  for (let sweep = 0; sweep < 6; sweep++) {
    const order = sweep % 2 === 0 ? cols.keys() : [...cols.keys()].reverse().values();
    for (const c of order) {
      const col = cols[c];
      if (!col || col.length < 2) continue;
      const bary = new Map<number, number>();
      for (const n of col) {
        const ps = (neighbours.get(n) ?? []).filter((m) => rank.get(m) !== c).map((m) => position.get(m)!);
        bary.set(n, ps.length > 0 ? ps.reduce((a, b) => a + b, 0) / ps.length : position.get(n)!);
      }
      col.sort((a, b) => bary.get(a)! - bary.get(b)! || a - b);
      col.forEach((n, i) => position.set(n, i / Math.max(1, col.length - 1)));
    }
  }

  // An edge that skips columns bows above or below the stages between (alternately, the further
  // the more), so that it does not run through them: a chain of 1,000 stages is one row.
  const lift = (from: number, to: number): number => {
    const span = Math.abs((rank.get(from) ?? 0) - (rank.get(to) ?? 0));
    return span > 1 ? (from % 2 === 0 ? -1 : 1) * Math.min(MAX_LIFT, 24 + span * 6) : 0;
  };
  const bow = Math.max(0, ...graph.edges.map((e) => Math.abs(lift(e.from, e.to)))) * 0.75;

  // Coordinates: columns side by side, each column's stages stacked and centred.
  const xy = new Map<number, { x: number; y: number }>();
  let x = PAD;
  let height = 0;
  const colHeights = cols.map((col) => (col ?? []).reduce((h, n) => h + size.get(n)!.h, 0) + NODE_GAP * Math.max(0, (col ?? []).length - 1));
  const maxHeight = Math.max(0, ...colHeights);
  cols.forEach((col, c) => {
    if (!col) return;
    const colWidth = Math.max(...col.map((n) => size.get(n)!.w));
    let y = PAD + bow + (maxHeight - colHeights[c]) / 2;
    for (const n of col) {
      const sz = size.get(n)!;
      xy.set(n, { x: x + (colWidth - sz.w) / 2, y });
      y += sz.h + NODE_GAP;
    }
    x += colWidth + RANK_GAP;
  });
  const width = x - RANK_GAP + PAD;
  height = maxHeight + 2 * (PAD + bow);

  const svg = el('svg', { width: `${width}pt`, height: `${height}pt`, viewBox: `0 0 ${width.toFixed(2)} ${height.toFixed(2)}` }) as SVGSVGElement;
  const root = el('g', { id: 'graph0', class: 'graph', transform: 'translate(0 0)' });
  svg.appendChild(root);
  root.appendChild(titled(el('title', {}), 'stages'));

  const reachable = new Map(stages.map((s) => [s.index, s.reachable]));
  for (const e of graph.edges) {
    const a = xy.get(e.to);
    const b = xy.get(e.from);
    if (!a || !b) continue;
    const sa = size.get(e.to)!;
    const sb = size.get(e.from)!;
    const x1 = a.x + sa.w;
    const y1 = a.y + sa.h / 2;
    const x2 = b.x - 7;
    const y2 = b.y + sb.h / 2;
    const bend = Math.max(24, Math.abs(x2 - x1) / 3);
    const up = lift(e.from, e.to);
    const colour = e.kind === 'variable' || reachable.get(e.from) === false ? theme.muted : theme.foreground;
    const g = el('g', { id: `edge-${e.from}-${e.to}-${e.kind}`, class: `edge ${e.kind}` });
    g.appendChild(titled(el('title', {}), `s${e.to}->s${e.from}`));
    const path = el('path', { fill: 'none', stroke: colour, 'stroke-width': '1.1', d: `M${f(x1)},${f(y1)} C${f(x1 + bend)},${f(y1 + up)} ${f(x2 - bend)},${f(y2 + up)} ${f(x2)},${f(y2)}` });
    // Long edges are many here: drawn fainter, so the stages and their near neighbours stand out
    // (the current stage's edges are drawn in full by the stylesheet).
    if (up !== 0) path.setAttribute('stroke-opacity', '0.45');
    const dash = DASH[e.kind];
    if (dash) path.setAttribute('stroke-dasharray', dash);
    g.appendChild(path);
    g.appendChild(el('polygon', { fill: colour, stroke: colour, points: `${f(x2)},${f(y2 - 3.5)} ${f(x2 + 7)},${f(y2)} ${f(x2)},${f(y2 + 3.5)} ${f(x2)},${f(y2 - 3.5)}` }));
    root.appendChild(g);
  }

  for (const s of stages) {
    const p = xy.get(s.index)!;
    const sz = size.get(s.index)!;
    const colour = s.target ? theme.accent : s.reachable ? theme.foreground : theme.muted;
    const textColour = s.reachable || s.target ? theme.foreground : theme.muted;
    const classes = ['node', 'stage', s.target ? 'target' : '', s.reachable ? '' : 'unreachable'].filter(Boolean).join(' ');
    const g = el('g', { id: `stage-${s.index}`, class: classes });
    g.appendChild(titled(el('title', {}), `s${s.index}`));
    g.appendChild(el('path', {
      fill: theme.background,
      stroke: colour,
      'stroke-width': s.target ? '3' : '1.2',
      d: roundedRect(p.x, p.y, sz.w, sz.h, 4),
    }));
    const ls = lines.get(s.index)!;
    const top = p.y + sz.h / 2 - (ls.length * LINE_HEIGHT) / 2;
    ls.forEach((line, i) => {
      const t = el('text', {
        'text-anchor': 'middle',
        x: f(p.x + sz.w / 2),
        y: f(top + (i + 1) * LINE_HEIGHT - 3.5),
        'font-family': theme.fontFamily,
        'font-size': FONT_SIZE.toFixed(2),
        fill: textColour,
      });
      t.textContent = line;
      g.appendChild(t);
    });
    root.appendChild(g);
  }
  return svg;
}

function el(name: string, attrs: Record<string, string>): SVGElement {
  const e = document.createElementNS(SVG_NS, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  return e;
}

function titled(e: SVGElement, text: string): SVGElement {
  e.textContent = text;
  return e;
}

function f(n: number): string {
  return n.toFixed(2);
}

function roundedRect(x: number, y: number, w: number, h: number, r: number): string {
  return `M${f(x + r)},${f(y)} H${f(x + w - r)} Q${f(x + w)},${f(y)} ${f(x + w)},${f(y + r)} V${f(y + h - r)} Q${f(x + w)},${f(y + h)} ${f(x + w - r)},${f(y + h)} H${f(x + r)} Q${f(x)},${f(y + h)} ${f(x)},${f(y + h - r)} V${f(y + r)} Q${f(x)},${f(y)} ${f(x + r)},${f(y)} Z`;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}

/** Text widths as Graphviz's Arial metrics give them, through a canvas (no canvas: an estimate). */
function textMeasurer(fontFamily: string): (text: string) => number {
  const context = document.createElement('canvas').getContext('2d');
  if (!context) return (text) => text.length * FONT_SIZE * 0.55;
  context.font = `${FONT_SIZE}px ${fontFamily}`;
  return (text) => context.measureText(text).width;
}
