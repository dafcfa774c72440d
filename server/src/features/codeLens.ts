/**
 * The stage-graph CodeLens: one lens over every FROM that tells what the stage builds on, who
 * uses it and whether the default target builds it; clicking it offers what can be done from
 * there (go to the base, peek the uses, build the stage, name it). One lens per stage, not one
 * per fact: a 1000-stage file then sends 1000 lenses, not 3000, on every edit.
 * Commands are carried out by the client; their ids are listed in STAGE_COMMANDS.
 */
import { Position, Range } from '../analysis/positions';
import { DockerfileBuilds, NO_BUILDS } from '../workspace/dockerfileBuilds';
import { builtByText } from './buildFileLinks';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';
import { isTargetName } from '../analysis/stageNames';

export const STAGE_COMMANDS = {
  /** Arguments: uri, StageAction[]: let the user pick one of the stage's actions. */
  stageActions: 'dockerfileStages.stageActions',
  /** Arguments: uri, Position: move the cursor to a stage's FROM … AS name. */
  revealStage: 'dockerfileStages.revealStage',
  /** Arguments: uri, Position, Range[]: peek these references. */
  showReferences: 'dockerfileStages.showReferences',
  /** Arguments: uri, stage name (one BuildKit accepts as --target): run the build command. */
  buildStage: 'dockerfileStages.buildStage',
  /** Arguments: uri, stage index: apply the "name this stage" fix. */
  nameStage: 'dockerfileStages.nameStage',
} as const;

/** One entry of the menu a stage lens opens: a title and the command it runs. */
export interface StageAction {
  title: string;
  command: string;
  arguments: unknown[];
}

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
  /** False in an untrusted workspace: no action that runs a build. */
  buildCommands: boolean;
}

const ALL: LensOptions = { buildCommands: true };

export function codeLenses(model: StageModel, uri: string, options: LensOptions = ALL): StageLens[] {
  return model.stages.map((stage) => stageLens(model, stage, uri, options));
}

/** Where a stage's lens sits: over the FROM keyword, on the FROM line only (not a multi-line FROM). */
export function lensRange(stage: Stage): Range {
  const from = stage.syntax.from;
  return { start: from.range.start, end: { line: from.range.start.line, character: from.keywordRange.end.character } };
}

/**
 * The lens over one stage's FROM: its title, and the menu of the stage's actions. The title says
 * first what only the graph knows (who uses the stage, whether a build reaches it), so that a
 * narrow editor cuts the least useful part: the base comes last, and only where it adds to the
 * FROM line below (a stage, or the stages build arguments can name; not an image written there).
 */
export function stageLens(model: StageModel, stage: Stage, uri: string, options: LensOptions = ALL, builds: DockerfileBuilds = NO_BUILDS): StageLens {
  const parts: string[] = [];
  const users = stage.usedBy.map((i) => model.displayName(model.stages[i]));
  if (users.length > 0) {
    parts.push(`used by ${users.length}: ${users.slice(0, MAX_LISTED_USERS).join(', ')}${users.length > MAX_LISTED_USERS ? ', …' : ''}`);
  }
  // Who else builds it by name: a Compose service, a Bake target, a dev container, a workflow.
  const builtBy = builtByText(stage, builds);
  if (builtBy) parts.push(builtBy);
  if (stage.index === model.targetIndex) parts.push('target');
  else if (!stage.reachable && !builds.reached.has(stage.index)) parts.push('not built by default');
  const base = baseText(model, stage);
  if (base) parts.push(base);
  const actions = stageActions(model, stage, uri, options);
  return {
    range: lensRange(stage),
    title: parts.length > 0 ? parts.join(' · ') : model.displayName(stage),
    // The menu says which stage it is for: lenses of neighbouring stages look alike.
    command: actions.length > 0 ? { command: STAGE_COMMANDS.stageActions, arguments: [uri, actions, `Actions for ${stageWords(model, stage)}, line ${stage.syntax.from.range.start.line + 1}`] } : undefined,
  };
}

/** What the stage builds on, where the FROM line does not say it already: a stage of the file. */
function baseText(model: StageModel, stage: Stage): string | undefined {
  const res = stage.baseRef?.resolution;
  if (res?.kind === 'stage') return `from ⬑ ${model.displayName(model.stages[res.stage])}`;
  if (res?.kind === 'variable' && res.candidates.length > 0) {
    const n = res.candidates.length;
    return `from ${n === 1 ? 'stage' : 'stages'} ${res.candidates.map((i) => model.displayName(model.stages[i])).join(', ')} (by build arguments)`;
  }
  return undefined;
}

/** The entries of the stage's menu, in the order they are offered. */
export function stageActions(model: StageModel, stage: Stage, uri: string, options: LensOptions = ALL): StageAction[] {
  const actions: StageAction[] = [];
  const ref = stage.baseRef;
  const res = ref?.resolution;
  if (ref && res?.kind === 'stage') {
    const base = model.stages[res.stage];
    actions.push({ title: `Go to its base, ${stageWords(model, base)}`, command: STAGE_COMMANDS.revealStage, arguments: [uri, selectionStart(base)] });
  } else if (ref && res?.kind === 'variable' && res.candidates.length > 0) {
    actions.push({
      title: `Peek the stages ${ref.value} can name`,
      command: STAGE_COMMANDS.showReferences,
      arguments: [uri, ref.range.start, res.candidates.map((i) => model.stages[i].nameRange ?? model.stages[i].syntax.from.range)],
    });
  }
  const uses = [...stage.incoming, ...variableRefsTo(model, stage.index)];
  if (uses.length > 0) {
    actions.push({
      title: `Peek the ${uses.length === 1 ? 'use' : `${uses.length} uses`} of ${stageWords(model, stage)}`,
      command: STAGE_COMMANDS.showReferences,
      arguments: [uri, selectionStart(stage), uses.map((r) => r.range)],
    });
  }
  if (stage.name === undefined) {
    actions.push({ title: 'Name this stage', command: STAGE_COMMANDS.nameStage, arguments: [uri, stage.index] });
  } else if (options.buildCommands && isTargetName(stage.name)) {
    // A name BuildKit rejects (or a reserved one) cannot be a --target: the build would only
    // fail, and the name is text from the Dockerfile that no command should receive.
    actions.push({ title: `▶ Build this stage (--target ${stage.key})`, command: STAGE_COMMANDS.buildStage, arguments: [uri, stage.key] });
  }
  return actions;
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

/** A stage in a menu entry: `stage "build"`, or `stage 1` for an unnamed one. */
function stageWords(model: StageModel, stage: Stage): string {
  return stage.name !== undefined ? `stage "${stage.name}"` : model.displayName(stage);
}
