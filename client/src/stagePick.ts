/**
 * The quick pick of a Dockerfile's stages that Go to Stage… and Build Stage… share: name, base
 * and line of each, the stage under the cursor preselected, and (for Go to Stage) the editor
 * previewing the stage the user arrows to, back where it was when the pick is cancelled.
 */
import * as vscode from 'vscode';

export interface StageSummary {
  index: number;
  /** The name after AS; null for an unnamed stage. */
  name: string | null;
  /** The name, or `stage N` for an unnamed stage. */
  label: string;
  base: string;
  line: number;
}

export type FetchStages = (document: vscode.TextDocument) => Promise<StageSummary[]>;

export interface StageItem extends vscode.QuickPickItem {
  stage: StageSummary;
}

/** The stage whose lines hold the cursor: the last one that starts at or before it. */
export function currentStage(stages: readonly StageSummary[], line: number): StageSummary | undefined {
  let found: StageSummary | undefined;
  for (const s of stages) if (s.line <= line) found = s;
  return found;
}

export function revealLine(editor: vscode.TextEditor, line: number, character = 0): void {
  const position = new vscode.Position(line, character);
  editor.selection = new vscode.Selection(position, position);
  editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}

export interface PickOptions {
  title: string;
  placeholder: string;
  /** The items, in the order shown (each with its stage). */
  items: StageItem[];
  /** The stage to preselect. */
  active: StageSummary | undefined;
  /** Move the editor to the stage under the selection while the user arrows through the list. */
  previewIn?: vscode.TextEditor;
}

/** Shows the pick; the stage chosen, or undefined when cancelled. */
export function pickStage(options: PickOptions): Promise<StageSummary | undefined> {
  const pick = vscode.window.createQuickPick<StageItem>();
  pick.title = options.title;
  pick.placeholder = options.placeholder;
  pick.matchOnDescription = true;
  pick.matchOnDetail = true;
  pick.items = options.items;
  const active = options.items.find((i) => i.stage.index === options.active?.index);
  if (active) pick.activeItems = [active];
  const editor = options.previewIn;
  const before = editor && { selection: editor.selection, visible: editor.visibleRanges[0] };
  return new Promise((resolve) => {
    let chosen: StageSummary | undefined;
    const subscriptions = [
      pick.onDidChangeActive((items) => {
        if (editor && items[0]) {
          const position = new vscode.Position(items[0].stage.line, 0);
          editor.revealRange(new vscode.Range(position, position), vscode.TextEditorRevealType.InCenter);
          editor.selection = new vscode.Selection(position, position);
        }
      }),
      pick.onDidAccept(() => {
        chosen = pick.activeItems[0]?.stage;
        pick.hide();
      }),
      pick.onDidHide(() => {
        // Cancelled: the editor goes back to where the user was.
        if (!chosen && editor && before) {
          editor.selection = before.selection;
          if (before.visible) editor.revealRange(before.visible, vscode.TextEditorRevealType.AtTop);
        }
        subscriptions.forEach((s) => s.dispose());
        pick.dispose();
        resolve(chosen);
      }),
    ];
    pick.show();
  });
}

/** An item: the stage's name (or `stage N`), its base, and where it is. */
export function stageItem(stage: StageSummary, current: StageSummary | undefined, description = stage.base ? `from ${stage.base}` : ''): StageItem {
  const here = current?.index === stage.index ? ' · at the cursor' : '';
  return { label: stage.label, description, detail: `stage ${stage.index} · line ${stage.line + 1}${here}`, stage };
}
