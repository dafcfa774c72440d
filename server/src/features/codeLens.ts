/**
 * The stage-graph CodeLens over every FROM: what the stage builds on, who uses it, whether the
 * default target builds it, and a command to build it (or to name it, when it has no name).
 * Commands are carried out by the client; their ids are listed in STAGE_COMMANDS.
 */
import { Position, Range } from '../analysis/positions';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';

export const STAGE_COMMANDS = {
  /** Arguments: uri, Position: move the cursor to a stage's FROM … AS name. */
  revealStage: 'dockerfileStages.revealStage',
  /** Arguments: uri, Position, Range[]: peek these references. */
  showReferences: 'dockerfileStages.showReferences',
  /** Arguments: uri, stage name: run the build command with --target. */
  buildStage: 'dockerfileStages.buildStage',
  /** Arguments: uri, stage index: apply the "name this stage" fix. */
  nameStage: 'dockerfileStages.nameStage',
} as const;

export interface StageLensCommand {
  command: string;
  arguments: unknown[];
}

export interface StageLens {
  range: Range;
  title: string;
  /** Undefined for a lens that only informs. */
  command: StageLensCommand | undefined;
}

const MAX_LISTED_USERS = 3;

export interface LensOptions {
  /** False in an untrusted workspace: no lens that runs a build. */
  buildCommands: boolean;
}

const ALL: LensOptions = { buildCommands: true };

export function codeLenses(model: StageModel, uri: string, options: LensOptions = ALL): StageLens[] {
  return model.stages.flatMap((stage) => stageLenses(model, stage, uri, options));
}

/** The lenses over one stage's FROM, left to right. */
export function stageLenses(model: StageModel, stage: Stage, uri: string, options: LensOptions = ALL): StageLens[] {
  const lenses: StageLens[] = [];
  const from = stage.syntax.from;
  // On the FROM line only, so that a multi-line FROM does not stretch the lens.
  const range: Range = { start: from.range.start, end: { line: from.range.start.line, character: from.keywordRange.end.character } };
  const lens = (title: string, command?: StageLensCommand) => lenses.push({ range, title, command });

  const base = baseLens(model, stage, uri);
  lens(base.title, base.command);

  const users = stage.usedBy.map((i) => model.displayName(model.stages[i]));
  if (users.length > 0) {
    const listed = users.slice(0, MAX_LISTED_USERS).join(', ') + (users.length > MAX_LISTED_USERS ? ', …' : '');
    lens(`used by ${users.length}: ${listed}`, {
      command: STAGE_COMMANDS.showReferences,
      arguments: [uri, selectionStart(stage), [...stage.incoming, ...variableRefsTo(model, stage.index)].map((r) => r.range)],
    });
  }

  if (stage.index === model.targetIndex) lens('target');
  else if (!stage.reachable) lens('not built by default');

  if (stage.name !== undefined) {
    if (options.buildCommands) lens('▶ Build this stage', { command: STAGE_COMMANDS.buildStage, arguments: [uri, stage.key] });
  } else {
    lens('Name this stage', { command: STAGE_COMMANDS.nameStage, arguments: [uri, stage.index] });
  }
  return lenses;
}

const variableRefsByModel = new WeakMap<StageModel, Map<number, StageRef[]>>();

/** FROM bases built from build arguments that could name `stage` (computed once per model). */
function variableRefsTo(model: StageModel, stage: number): StageRef[] {
  let byStage = variableRefsByModel.get(model);
  if (!byStage) {
    byStage = new Map();
    for (const r of model.refs) {
      if (r.resolution.kind !== 'variable') continue;
      for (const c of r.resolution.candidates) {
        const list = byStage.get(c);
        if (list) list.push(r);
        else byStage.set(c, [r]);
      }
    }
    variableRefsByModel.set(model, byStage);
  }
  return byStage.get(stage) ?? [];
}

function selectionStart(stage: Stage): Position {
  return (stage.nameRange ?? stage.syntax.from.range).start;
}

function baseLens(model: StageModel, stage: Stage, uri: string): { title: string; command?: StageLensCommand } {
  const ref = stage.baseRef;
  if (!ref) return { title: 'from (no base)' };
  const res = ref.resolution;
  if (res.kind === 'stage') {
    const base = model.stages[res.stage];
    return {
      title: `from ⬑ ${model.displayName(base)}`,
      command: { command: STAGE_COMMANDS.revealStage, arguments: [uri, selectionStart(base)] },
    };
  }
  if (res.kind === 'variable') {
    const n = res.candidates.length;
    if (n === 0) return { title: `from ${ref.value} (set by build arguments)` };
    return {
      title: `from ${ref.value} (${n === 1 ? 'stage' : 'stages'} ${res.candidates.map((i) => model.displayName(model.stages[i])).join(', ')})`,
      command: { command: STAGE_COMMANDS.showReferences, arguments: [uri, ref.range.start, res.candidates.map((i) => model.stages[i].nameRange ?? model.stages[i].syntax.from.range)] },
    };
  }
  return { title: `from ${ref.value}` };
}
