/**
 * The messages between the stage-graph panel (stageGraphPanel.ts, in the extension host) and
 * its webview (webview/stageGraphView.ts, in the browser). No Node or VS Code imports: both
 * sides compile this file.
 */
import type { StageGraph } from '../../server/src/features/stageGraph';

/**
 * How one file's graph is looked at, kept by the panel per file (and across sessions) so that
 * switching editors and back, or hiding the panel, shows it as it was left.
 */
export interface StageGraphViewState {
  /**
   * `auto`: as it opens, the whole graph if it fits at a readable size, else readable around the
   * cursor's stage (kept so as the panel is resized or the cursor moves); `fit`: the whole graph,
   * however small; `manual`: zoomed or panned by hand (zoom and centre kept as they are).
   */
  mode: 'auto' | 'fit' | 'manual';
  /** Screen pixels per layout unit (1 is 100 %: a stage's name at 12 px). */
  zoom: number;
  /** The layout point at the middle of the panel. */
  x: number;
  y: number;
  /** Focus mode: only the current stage, what it is built from and what uses it. */
  focus: boolean;
}

/** What the webview shows, as it answers a `queryState` (for tests and troubleshooting). */
export interface StageGraphViewReport {
  /** The document whose graph is shown, as the panel named it. */
  uri: string | null;
  /** `graph`, `empty`, `error`, or `none` before the first graph. */
  render: string;
  /** The stage under the editor's cursor, or null (before the first FROM, or not known). */
  cursorStage: number | null;
  /** The stages drawn highlighted as the cursor's stage (one at most). */
  highlighted: number[];
  /** The stages drawn (fewer than the graph's in focus mode). */
  shown: number[];
  zoom: number;
  mode: StageGraphViewState['mode'];
  focus: boolean;
}

/** Panel → webview. */
export type ToStageGraphView =
  | {
      type: 'graph';
      graph: StageGraph;
      /** The document it is the graph of (absent: the same document as before). */
      document?: { uri: string; name: string };
      /** The 0-based line of the cursor in that document, or null when no editor shows it. */
      cursorLine?: number | null;
      /** How the document's graph was last looked at; applied when the document changes. */
      viewState?: StageGraphViewState | null;
    }
  | { type: 'error'; message: string }
  /** The editor's cursor moved to `line` (0-based) in document `uri`. */
  | { type: 'cursor'; uri?: string; line: number | null }
  /** Asks the webview what it shows; it answers with a `state` message carrying the same id. */
  | { type: 'queryState'; id: number };

/** Webview → panel. */
export type FromStageGraphView =
  /** The script has loaded (first load, or again after the hidden panel was shown). */
  | { type: 'ready' }
  /** A stage was clicked, or Enter pressed on it: show its FROM line (0-based) in `uri` (default: the panel's document). */
  | { type: 'reveal'; line: number; uri?: string }
  /** The view of `uri`'s graph changed (zoom, pan, focus mode). */
  | { type: 'viewState'; uri: string; state: StageGraphViewState }
  /** The answer to `queryState`. */
  | { type: 'state'; id: number; report: StageGraphViewReport };

function isObject(m: unknown): m is Record<string, unknown> {
  return typeof m === 'object' && m !== null;
}

function isLine(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0;
}

function isFiniteNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

export function isViewState(s: unknown): s is StageGraphViewState {
  return (
    isObject(s) &&
    (s.mode === 'auto' || s.mode === 'fit' || s.mode === 'manual') &&
    isFiniteNumber(s.zoom) && s.zoom > 0 &&
    isFiniteNumber(s.x) && isFiniteNumber(s.y) &&
    typeof s.focus === 'boolean'
  );
}

/** Whether a message the webview posted is one this panel understands. */
export function isFromStageGraphView(m: unknown): m is FromStageGraphView {
  if (!isObject(m)) return false;
  switch (m.type) {
    case 'ready':
      return true;
    case 'reveal':
      return isLine(m.line) && (m.uri === undefined || typeof m.uri === 'string');
    case 'viewState':
      return typeof m.uri === 'string' && isViewState(m.state);
    case 'state':
      return typeof m.id === 'number' && isObject(m.report);
    default:
      return false;
  }
}
