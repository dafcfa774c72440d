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

/** Which lenses a stage shows, left to right: cheap, so that the list can be sent unresolved. */
export type LensKind = 'base' | 'users' | 'target' | 'unreached' | 'build' | 'name';

export function stageLensKinds(stage: Stage, targetIndex: number | undefined, options: LensOptions = ALL): LensKind[] {
  const kinds: LensKind[] = ['base'];
  if (stage.usedBy.length > 0) kinds.push('users');
  if (stage.index === targetIndex) kinds.push('target');
  else if (!stage.reachable) kinds.push('unreached');
  if (stage.name === undefined) kinds.push('name');
  else if (options.buildCommands) kinds.push('build');
  return kinds;
}

/** Where a stage's lenses sit: over the FROM keyword, on the FROM line only (not a multi-line FROM). */
export function lensRange(stage: Stage): Range {
  const from = stage.syntax.from;
  return { start: from.range.start, end: { line: from.range.start.line, character: from.keywordRange.end.character } };
}

/** The lenses over one stage's FROM, left to right. */
export function stageLenses(model: StageModel, stage: Stage, uri: string, options: LensOptions = ALL): StageLens[] {
  const range = lensRange(stage);
  return stageLensKinds(stage, model.targetIndex, options).map((kind) => ({ range, ...lensContent(model, stage, kind, uri) }));
}

/** The title and command of one lens. */
export function lensContent(model: StageModel, stage: Stage, kind: LensKind, uri: string): Omit<StageLens, 'range'> {
  switch (kind) {
    case 'base':
      return baseLens(model, stage, uri);
    case 'users': {
      const users = stage.usedBy.map((i) => model.displayName(model.stages[i]));
      const listed = users.slice(0, MAX_LISTED_USERS).join(', ') + (users.length > MAX_LISTED_USERS ? ', …' : '');
      return {
        title: `used by ${users.length}: ${listed}`,
        command: {
          command: STAGE_COMMANDS.showReferences,
          arguments: [uri, selectionStart(stage), [...stage.incoming, ...variableRefsTo(model, stage.index)].map((r) => r.range)],
        },
      };
    }
    case 'target':
      return { title: 'target', command: undefined };
    case 'unreached':
      return { title: 'not built by default', command: undefined };
    case 'build':
      return { title: '▶ Build this stage', command: { command: STAGE_COMMANDS.buildStage, arguments: [uri, stage.key] } };
    case 'name':
      return { title: 'Name this stage', command: { command: STAGE_COMMANDS.nameStage, arguments: [uri, stage.index] } };
  }
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

function baseLens(model: StageModel, stage: Stage, uri: string): Omit<StageLens, 'range'> {
  const ref = stage.baseRef;
  if (!ref) return { title: 'from (no base)', command: undefined };
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
    if (n === 0) return { title: `from ${ref.value} (set by build arguments)`, command: undefined };
    return {
      title: `from ${ref.value} (${n === 1 ? 'stage' : 'stages'} ${res.candidates.map((i) => model.displayName(model.stages[i])).join(', ')})`,
      command: { command: STAGE_COMMANDS.showReferences, arguments: [uri, ref.range.start, res.candidates.map((i) => model.stages[i].nameRange ?? model.stages[i].syntax.from.range)] },
    };
  }
  return { title: `from ${ref.value}`, command: undefined };
}
