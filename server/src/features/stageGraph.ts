/**
 * The stage graph for the "Show Stage Graph" view: every stage as a node, every resolved stage
 * reference as an edge, and a Graphviz DOT rendering of it. Model in, plain data out; the
 * client draws the DOT in a webview (client/src/webview/stageGraphView.ts).
 */
import { StageModel } from '../analysis/stageModel';

export type StageGraphEdgeKind = 'base' | 'copy' | 'mount' | 'variable';

export interface StageGraphNode {
  index: number;
  /** The name as written after AS, or null for an unnamed stage. */
  name: string | null;
  /**
   * The name as written, or `stage N` for an unnamed stage, as the outline and hover say it.
   * (BuildKit's own messages call it `stage-N`, which reads like a name `--target` accepts: it
   * is not one, so the graph does not use that form.)
   */
  label: string;
  /** The FROM base as written (`golang:1.22`, `build`, `base-${VARIANT}`); '' when missing. */
  base: string;
  /** 0-based line of the stage's FROM keyword. */
  line: number;
  /** Whether building the default target builds this stage. */
  reachable: boolean;
  /** Whether this stage is the default target (the last stage). */
  target: boolean;
}

export interface StageGraphEdge {
  /** The stage that uses… */
  from: number;
  /** …this stage. */
  to: number;
  /**
   * `base`: `FROM to`; `copy`: `COPY --from=to` (also a `COPY --from` that an ONBUILD trigger of
   * from's base runs in from's build); `mount`: `RUN --mount=…,from=to`; `variable`: `to` is a
   * stage a FROM built from build arguments could name.
   */
  kind: StageGraphEdgeKind;
}

export interface StageGraph {
  stages: StageGraphNode[];
  /** One per (from, to, kind), in file order; never from a stage to itself. */
  edges: StageGraphEdge[];
}

export function stageGraph(model: StageModel): StageGraph {
  const stages: StageGraphNode[] = model.stages.map((s) => ({
    index: s.index,
    name: s.name ?? null,
    label: s.name ?? `stage ${s.index}`,
    base: s.baseRef?.value ?? '',
    line: s.syntax.from.range.start.line,
    reachable: s.reachable,
    target: s.index === model.targetIndex,
  }));

  const edges: StageGraphEdge[] = [];
  const seen = new Set<string>();
  const add = (from: number, to: number, kind: StageGraphEdgeKind) => {
    if (from === to || to < 0 || to >= stages.length) return;
    const key = `${from}>${to}>${kind}`;
    if (seen.has(key)) return;
    seen.add(key);
    edges.push({ from, to, kind });
  };

  for (const r of model.refs) {
    const res = r.resolution;
    if (res.kind === 'variable') {
      for (const c of res.candidates) add(r.owner, c, 'variable');
      continue;
    }
    if (res.kind !== 'stage') continue;
    // References BuildKit rejects (a later stage, a cycle) are still drawn: the graph then
    // shows the loop the diagnostics talk about. A stage naming itself is not an edge.
    if (r.kind === 'from') add(r.owner, res.stage, 'base');
    else if (r.kind === 'copy') add(r.owner, res.stage, 'copy');
    else if (r.kind === 'mount') add(r.owner, res.stage, 'mount');
  }

  // ONBUILD COPY --from runs in the build of each stage built FROM the stage that holds it,
  // as the model's dependsOn counts it (StageModel.addOnbuildDependencies).
  for (const r of model.refs) {
    const res = r.resolution;
    if (res.kind !== 'deferred' || res.stage === undefined) continue;
    const target = res.stage;
    for (const child of model.stages) {
      const base = child.baseRef?.resolution;
      if (base?.kind === 'stage' && base.stage === r.owner && !base.problem) add(child.index, target, 'copy');
    }
  }

  return { stages, edges };
}

export interface DotTheme {
  foreground: string;
  background: string;
  /** The target's border. */
  accent: string;
  /** Stages the default target does not build, and `variable` edges. */
  muted: string;
  /**
   * Graphviz lays text out with metrics it has for a few families (Arial, Helvetica, Times,
   * Courier…) and falls back to Times metrics for any other name, such as a CSS font list.
   */
  fontFamily: string;
}

/** Longest FROM base shown in a node; the rest is cut with an ellipsis. */
const MAX_BASE_LENGTH = 40;

const EDGE_STYLE: Record<StageGraphEdgeKind, string> = {
  base: 'solid',
  copy: 'dashed',
  mount: 'dotted',
  variable: 'dashed',
};

/**
 * Graphviz DOT for the graph. Left to right, in the direction data flows: an arrow goes from
 * the stage used to the stage that uses it (a graph of 60 stages is mostly wide fan-outs from a
 * few bases, which stack down the panel instead of running off its side). Nodes are `s<index>`
 * with `id="stage-<index>"` (the SVG group's id) and classes `stage`, `target`, `unreachable`;
 * edges have `id="edge-<from>-<to>-<kind>"` and class `<kind>`.
 */
export function toDot(graph: StageGraph, theme: DotTheme): string {
  const fg = dotColor(theme.foreground, '#333333');
  const bg = dotColor(theme.background, '#ffffff');
  const accent = dotColor(theme.accent, '#0066cc');
  const muted = dotColor(theme.muted, '#888888');
  const font = dotString(theme.fontFamily || 'Helvetica');
  const out: string[] = [];
  out.push('digraph stages {');
  out.push(`  graph [rankdir=LR, bgcolor="transparent", pad=0.2, nodesep=0.25, ranksep=0.5, fontname=${font}];`);
  out.push(`  node [shape=box, style="rounded,filled", fillcolor=${bg}, color=${fg}, fontcolor=${fg}, fontname=${font}, fontsize=12, margin="0.18,0.08", penwidth=1.2];`);
  out.push(`  edge [color=${fg}, arrowsize=0.7, penwidth=1.1];`);
  const reachable = new Map<number, boolean>();
  for (const s of graph.stages) {
    reachable.set(s.index, s.reachable);
    const lines = [s.label];
    if (s.base !== '') lines.push(`FROM ${truncate(s.base, MAX_BASE_LENGTH)}`);
    if (s.target) lines.push('(target)');
    else if (!s.reachable) lines.push('(not built)');
    const attrs = [
      `id="stage-${s.index}"`,
      `class="${['stage', s.target ? 'target' : '', s.reachable ? '' : 'unreachable'].filter(Boolean).join(' ')}"`,
      `label=${dotLabel(lines.join('\n'))}`,
    ];
    if (s.target) attrs.push(`color=${accent}`, 'penwidth=3', `style="rounded,filled,bold"`);
    else if (!s.reachable) attrs.push(`color=${muted}`, `fontcolor=${muted}`);
    out.push(`  s${s.index} [${attrs.join(', ')}];`);
  }
  for (const e of graph.edges) {
    const attrs = [`id="edge-${e.from}-${e.to}-${e.kind}"`, `class="${e.kind}"`, `style=${EDGE_STYLE[e.kind]}`];
    if (e.kind === 'variable' || reachable.get(e.from) === false) attrs.push(`color=${muted}`);
    // Written in the direction of the data (used → user) so that dot ranks bases first.
    out.push(`  s${e.to} -> s${e.from} [${attrs.join(', ')}];`);
  }
  out.push('}');
  return out.join('\n') + '\n';
}

/**
 * A DOT label: Graphviz decodes HTML entities in plain labels too (`&lt;` shows as `<`), so a
 * literal `&` is written `&amp;`.
 */
export function dotLabel(text: string): string {
  return dotString(text.replace(/&/g, '&amp;'));
}

/**
 * A DOT double-quoted string: quotes and backslashes escaped (a label reads `\n`,
 * `\l`, `\N`… as escapes, so a literal backslash must be `\\`), newlines as `\n`, other control
 * characters dropped.
 */
export function dotString(text: string): string {
  let s = '';
  for (const ch of text) {
    if (ch === '\\') s += '\\\\';
    else if (ch === '"') s += '\\"';
    else if (ch === '\n') s += '\\n';
    else if (ch === '\r' || ch === '\t') s += ' ';
    else if (ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f) continue;
    else s += ch;
  }
  return `"${s}"`;
}

/** A colour Graphviz reads: `#rgb`, `#rrggbb`, `#rrggbbaa` or a colour name; else the fallback. */
function dotColor(color: string, fallback: string): string {
  const c = color.trim();
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(c);
  if (short) return `"#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}"`;
  if (/^#(?:[0-9a-f]{6}|[0-9a-f]{8})$/i.test(c) || /^[a-z]+$/i.test(c)) return `"${c}"`;
  return `"${fallback}"`;
}

function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : chars.slice(0, max - 1).join('') + '…';
}
