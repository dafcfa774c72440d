/**
 * The messages between the stage-graph panel (stageGraphPanel.ts, in the extension host) and
 * its webview (webview/stageGraphView.ts, in the browser). No Node or VS Code imports: both
 * sides compile this file.
 */
import type { StageGraph } from '../../server/src/features/stageGraph';

/** Panel → webview. */
export type ToStageGraphView =
  | { type: 'graph'; graph: StageGraph }
  | { type: 'error'; message: string };

/** Webview → panel. */
export type FromStageGraphView =
  /** The script has loaded (first load, or again after the hidden panel was shown). */
  | { type: 'ready' }
  /** A stage was clicked: show its FROM line (0-based). */
  | { type: 'reveal'; line: number };

/** Whether a message the webview posted is one this panel understands. */
export function isFromStageGraphView(m: unknown): m is FromStageGraphView {
  if (typeof m !== 'object' || m === null) return false;
  const msg = m as { type?: unknown; line?: unknown };
  if (msg.type === 'ready') return true;
  return msg.type === 'reveal' && typeof msg.line === 'number' && Number.isInteger(msg.line) && msg.line >= 0;
}
