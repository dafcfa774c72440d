/**
 * What the stage-graph view works out from the graph data, apart from drawing it: the stage a
 * line belongs to, a stage's ancestors and dependents (focus mode), the stages a search finds.
 * Plain functions of plain data: the webview bundles them and the unit tests call them.
 */
import type { StageGraph } from '../../server/src/features/stageGraph';

/**
 * The stage whose instructions `line` is among: the last stage whose FROM is on or above it;
 * null above the first FROM. `stages` are in file order, as the server sends them.
 */
export function stageAtLine(stages: StageGraph['stages'], line: number | null | undefined): number | null {
  if (line === null || line === undefined || stages.length === 0) return null;
  let lo = 0;
  let hi = stages.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (stages[mid].line <= line) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found === -1 ? null : stages[found].index;
}

/**
 * `index`, the stages it is built from (its base, what it copies or mounts from, what a FROM
 * built from build arguments could name), theirs in turn, and the stages built from it, theirs
 * in turn: what focus mode shows.
 */
export function relatedStages(graph: StageGraph, index: number): Set<number> {
  const uses = new Map<number, number[]>();
  const usedBy = new Map<number, number[]>();
  for (const e of graph.edges) {
    (uses.get(e.from) ?? uses.set(e.from, []).get(e.from)!).push(e.to);
    (usedBy.get(e.to) ?? usedBy.set(e.to, []).get(e.to)!).push(e.from);
  }
  const out = new Set<number>([index]);
  for (const next of [uses, usedBy]) {
    const seen = new Set<number>([index]);
    const stack = [index];
    while (stack.length > 0) {
      for (const n of next.get(stack.pop()!) ?? []) {
        if (seen.has(n)) continue;
        seen.add(n);
        out.add(n);
        stack.push(n);
      }
    }
  }
  return out;
}

/** The graph with only the stages in `keep` and the edges between them. */
export function subgraph(graph: StageGraph, keep: ReadonlySet<number>): StageGraph {
  return {
    stages: graph.stages.filter((s) => keep.has(s.index)),
    edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)),
  };
}

/**
 * The stages whose name (label) contains `query`, ignoring case and blanks around it: one
 * named exactly so first, then the others in file order. Nothing for an empty query.
 */
export function searchStages(stages: StageGraph['stages'], query: string): number[] {
  const q = query.trim().toLowerCase();
  if (q === '') return [];
  const exact: number[] = [];
  const rest: number[] = [];
  for (const s of stages) {
    const label = s.label.toLowerCase();
    if (label === q) exact.push(s.index);
    else if (label.includes(q)) rest.push(s.index);
  }
  return [...exact, ...rest];
}
