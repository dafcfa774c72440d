import { Range, comparePositions, rangeContains } from '../analysis/positions';
import { PREDEFINED_PLATFORM_ARGS, Stage, StageModel } from '../analysis/stageModel';
import { ArgDeclaration, InstructionSyntax, VariableUse } from '../analysis/syntax';
import { PREDEFINED_PROXY_ARGS } from '../analysis/variableScopes';
import { RelatedLocation, Rule } from './rule';
import { stageLabel } from './referenceDescriptions';
import { indentationAt, insertLineAfter } from '../edits/sourceText';

/**
 * BuildKit lint UndefinedVar ("Usage of undefined variable '$X'"), restricted to what this
 * file alone proves about ARG scope. BuildKit's own check also knows the base image's ENV,
 * which no editor can, so only names whose scope is decided here are reported:
 *
 * 1. a global ARG (declared before the first FROM) used inside a stage without a bare
 *    `ARG NAME` in that stage, or in a stage it is built FROM, before the use: inside a stage
 *    a global ARG is visible only after `ARG NAME` (dockerfile2llb dispatchArg takes its value
 *    from the global ones). The predefined platform ARGs (TARGETARCH…) work the same way and
 *    are the classic case: FROM lines see them, instructions do not.
 * 2. an ARG declared only inside other stages, none of which this stage is built FROM
 *    (ARG values reach a stage only through its FROM chain: dispatchState.init copies the
 *    base stage's state).
 * 3. in a stage whose FROM chain starts at `scratch`, any other name that no ARG or ENV before
 *    the use sets, except PATH: an empty image's environment holds PATH only (dockerfile2llb
 *    emptyImage), so nothing else can give it a value.
 * Any other unknown name is left alone: the base image may set it with ENV.
 *
 * Where BuildKit's check looks (dockerfile2llb/convert.go, dispatch): it reports a name when
 * it expands a word and finds the name unset (reportUnmatchedVariables, validations.go). It
 * expands the words of the instructions with an Expand method (instructions/commands.go: ENV,
 * LABEL, ADD, COPY, WORKDIR, USER, VOLUME, STOPSIGNAL; ARG defaults in dispatchArg), and of a
 * RUN only its `--mount` values: RunCommand.Expand calls setMountState, whose parseMount
 * (instructions/commands_runmount.go) expands each `key=value` field's value. Everything else
 * goes to the container unexpanded:
 * - a RUN's command, in shell form (the shell expands it when it runs, in an environment that
 *   also holds the base image's ENV, e.g. NODE_VERSION in the `node` image) or exec form
 *   (nothing expands `["…"]`; dispatchRun passes c.CmdLine on as it is), its here-documents,
 *   and its other flags (`--network`, `--security`, `--device` are read when the instruction is
 *   parsed, unexpanded);
 * - CMD, ENTRYPOINT, HEALTHCHECK (no Expand method: they run later, in the container),
 *   SHELL and MAINTAINER (no Expand method either);
 * - EXPOSE (dispatchExpose expands with ProcessWords, which reports nothing);
 * - ONBUILD (its trigger runs in another build), FROM (UndefinedArgInFrom's).
 *
 * Decisions:
 * - Here-document bodies are skipped. A RUN's are never expanded; a COPY's are when its
 *   delimiter is unquoted (SourcesAndDest.ExpandRaw), which the model does not record: those
 *   are a gap, left open rather than guessed.
 * - ENV sets its keys for later instructions (not its own: BuildKit expands an ENV's words
 *   before applying it).
 * - A stage built FROM a base that depends on build arguments and could be a stage of this
 *   file is skipped (the chain is unknown), and so are stages built on a stage whose ONBUILD
 *   triggers declare ARGs or ENVs.
 * - A parent stage's ARG counts even when it has no value (BuildKit passes on only ARGs with
 *   a value, but then the variable is empty either way); an ARG counts for uses after its
 *   own declaration only (`ARG B=$B` uses the outer B).
 * - One finding per instruction and name, at its first use. A use inside a `--from=` value
 *   (COPY, or a mount's `from=`) is VariableInFromFlag's: BuildKit rejects it.
 * - The base image's own ENV may define the same name (the `node` image sets NODE_VERSION):
 *   BuildKit would then not warn, but the value is the image's, not the ARG's, so the finding
 *   stands where BuildKit expands the word.
 */
/** Instructions whose words BuildKit expands and checks (a RUN's mounts: mountUses). */
const EXPANDED: ReadonlySet<string> = new Set(['ENV', 'LABEL', 'ADD', 'COPY', 'WORKDIR', 'USER', 'VOLUME', 'STOPSIGNAL', 'ARG']);
const NONE: readonly VariableUse[] = [];

type Why =
  | { kind: 'global'; decl: ArgDeclaration }
  | { kind: 'predefined' }
  | { kind: 'stage'; decls: { stage: number; decl: ArgDeclaration }[] }
  | { kind: 'scratch'; root: number };

/** Names BuildKit's environment holds in a stage built on `scratch` (emptyImage). */
const SCRATCH_ENV: ReadonlySet<string> = new Set(['PATH']);

export const undefinedVar: Rule = {
  code: 'UndefinedVar',
  buildkitCheck: true,
  severity: 'warning',
  description: 'A variable used in a stage where it is not defined: a global ARG without "ARG NAME" in the stage, or an ARG of another stage.',
  check(model, report) {
    const globals = new Map<string, ArgDeclaration>();
    for (const a of model.globalArgs) if (!globals.has(a.name)) globals.set(a.name, a);
    const stageArgs = new Map<string, { stage: number; decl: ArgDeclaration }[]>();
    for (const s of model.stages) {
      for (const a of s.syntax.args) {
        const list = stageArgs.get(a.name);
        if (!list) stageArgs.set(a.name, [{ stage: s.index, decl: a }]);
        else if (list[list.length - 1].stage !== s.index) list.push({ stage: s.index, decl: a });
      }
    }
    const tree = new FromTree(model);
    if (globals.size === 0 && stageArgs.size === 0 && !usesPredefined(model) && !tree.anyScratch) return;

    for (const stage of model.stages) {
      if (tree.blocked[stage.index]) continue;
      /** Names set by this stage's ENVs so far (its ARGs are looked up by position). */
      const own = new Set<string>();
      for (const ins of stage.syntax.instructions) {
        const uses = checkedUses(ins);
        if (uses.length > 0) {
          let reported: Set<string> | undefined;
          for (const use of uses) {
            const name = use.name;
            if (reported?.has(name) || own.has(name)) continue;
            const why = whyUndefined(name, globals, stageArgs, stage) ?? tree.scratchWhy(name, stage.index);
            if (!why) continue;
            if (stage.syntax.args.some((a) => a.name === name && comparePositions(a.range.end, use.range.start) <= 0)) continue;
            if (tree.setByAncestor(name, stage.index)) continue;
            if (inHeredocBody(ins, use) || stage.refs.some((r) => r.kind !== 'from' && rangeContains(r.range, use.range.start))) continue;
            (reported ??= new Set()).add(name);
            report(findingFor(model, stage, use, why));
          }
        }
        if (ins.keyword === 'ENV') for (const k of ins.assigns) own.add(k);
      }
    }
  },
  /**
   * Declares the ARG in this stage, on the line after its FROM (with the FROM's indentation),
   * bare: a global ARG then brings its global value; for another stage's ARG no default is
   * copied (the user decides). Not for fix-all: it changes what the build does, on purpose.
   */
  fixes(model, finding, source) {
    const name = finding.data?.name;
    const stage = model.stageAt(finding.range.start);
    if (typeof name !== 'string' || !stage) return [];
    const from = stage.syntax.from;
    const line = `${indentationAt(source, from.range.start)}ARG ${name}`;
    return [{
      title: `Declare ARG ${name} in this stage`,
      kind: 'quickfix',
      edits: [insertLineAfter(source, from.range.end.line, line, model.lineCount, from.range.end)],
      isPreferred: true,
    }];
  },
};

/** The uses in an instruction that BuildKit's check sees (the header says where it looks). */
function checkedUses(ins: InstructionSyntax): readonly VariableUse[] {
  if (ins.variables.length === 0) return ins.variables;
  if (ins.keyword === 'RUN') return mountUses(ins);
  return EXPANDED.has(ins.keyword) ? ins.variables : NONE;
}

/**
 * The uses in a RUN that BuildKit expands: those inside its `--mount=` flags (flag names are
 * case-sensitive: `--Mount` is an unknown flag, and the build fails).
 */
function mountUses(ins: InstructionSyntax): readonly VariableUse[] {
  const mounts = ins.runFlags.filter((f) => f.text.startsWith('--mount='));
  if (mounts.length === 0) return NONE;
  return ins.variables.filter((v) => mounts.some((m) => rangeContains(m.range, v.range.start)));
}

function usesPredefined(model: StageModel): boolean {
  return model.stages.some((s) => s.syntax.instructions.some((i) => checkedUses(i).some((v) => PREDEFINED_PLATFORM_ARGS.has(v.name))));
}

/**
 * The stages as a forest of FROM edges (a stage built FROM an earlier stage is its child),
 * with what each stage passes on to the stages built on it: the names its ARGs and ENVs set,
 * and whether it may set names the model cannot see (a cut ENV, ONBUILD ARG/ENV).
 */
class FromTree {
  /** Stages not checked: the FROM chain is unknown, or an ancestor may set anything. */
  readonly blocked: boolean[];
  /** Per stage, the root of its FROM chain when that root is built FROM scratch. */
  private readonly scratchRoot: (number | undefined)[];
  readonly anyScratch: boolean;
  /** Stages whose ARGs and ENVs set each name, in index order. */
  private readonly setters = new Map<string, number[]>();
  /** The names each stage's ARGs and ENVs set. */
  private readonly names: Set<string>[];
  private readonly parent: number[];
  private readonly depth: number[];
  private readonly enter: number[];
  private readonly leave: number[];

  constructor(model: StageModel) {
    const n = model.stages.length;
    const parent = (this.parent = new Array<number>(n).fill(-1));
    this.depth = new Array<number>(n).fill(0);
    this.names = model.stages.map(() => new Set<string>());
    const opaque = new Array<boolean>(n).fill(false);
    this.blocked = new Array<boolean>(n).fill(false);
    const children: number[][] = model.stages.map(() => []);
    this.scratchRoot = new Array<number | undefined>(n).fill(undefined);
    for (const stage of model.stages) {
      const i = stage.index;
      const res = stage.baseRef?.resolution;
      if (res?.kind === 'stage' && res.stage < i) {
        parent[i] = res.stage;
        this.depth[i] = this.depth[res.stage] + 1;
        children[res.stage].push(i);
        this.scratchRoot[i] = this.scratchRoot[res.stage];
      } else if (res?.kind === 'image' && stage.baseRef!.value.toLowerCase() === 'scratch') {
        this.scratchRoot[i] = i;
      }
      // A base built from build arguments that could be a stage here: the chain is unknown.
      const variable = res?.kind === 'variable' && (res.candidates.length > 0 || res.withDefaults !== undefined);
      const p = parent[i];
      this.blocked[i] = variable || (p !== -1 && (this.blocked[p] || opaque[p]));
      for (const a of stage.syntax.args) this.addSetter(a.name, i);
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword === 'ENV') for (const k of ins.assigns) this.addSetter(k, i);
        // ONBUILD ARG / ENV run in the child, before its own instructions.
        if (ins.keyword === 'ONBUILD' && /^(arg|env)\b/i.test(ins.summary)) opaque[i] = true;
      }
    }
    this.anyScratch = this.scratchRoot.some((r) => r !== undefined);
    // Euler tour: a is a proper ancestor of s iff enter[a] < enter[s] and leave[s] <= leave[a].
    this.enter = new Array<number>(n).fill(0);
    this.leave = new Array<number>(n).fill(0);
    let clock = 0;
    for (let root = 0; root < n; root++) {
      if (parent[root] !== -1) continue;
      const stack: { node: number; next: number }[] = [{ node: root, next: 0 }];
      this.enter[root] = clock++;
      while (stack.length > 0) {
        const top = stack[stack.length - 1];
        if (top.next < children[top.node].length) {
          const child = children[top.node][top.next++];
          this.enter[child] = clock++;
          stack.push({ node: child, next: 0 });
        } else {
          this.leave[top.node] = clock++;
          stack.pop();
        }
      }
    }
  }

  private addSetter(name: string, stage: number): void {
    this.names[stage].add(name);
    const list = this.setters.get(name);
    if (!list) this.setters.set(name, [stage]);
    else if (list[list.length - 1] !== stage) list.push(stage);
  }

  /**
   * Case 3: in a chain built on scratch, a name nothing sets (the caller has ruled out this
   * stage's own ARGs and ENVs before the use, and the ancestors' are checked after this).
   */
  scratchWhy(name: string, stage: number): Why | undefined {
    const root = this.scratchRoot[stage];
    if (root === undefined || SCRATCH_ENV.has(name) || PREDEFINED_PROXY_ARGS.has(name)) return undefined;
    return { kind: 'scratch', root };
  }

  /** Whether a stage that `stage` is built FROM (directly or not) sets `name` with ARG or ENV. */
  setByAncestor(name: string, stage: number): boolean {
    const list = this.setters.get(name);
    if (!list) return false;
    // Whichever is shorter: the stages up the chain, or the stages that set the name.
    if (this.depth[stage] <= list.length) {
      for (let p = this.parent[stage]; p !== -1; p = this.parent[p]) if (this.names[p].has(name)) return true;
      return false;
    }
    for (const a of list) {
      if (a >= stage) break;
      if (this.enter[a] < this.enter[stage] && this.leave[stage] <= this.leave[a]) return true;
    }
    return false;
  }
}

/**
 * Why the name would be undefined in stage `owner` unless its FROM chain sets it (checked by
 * the caller): a global ARG, a predefined one, or an ARG of other stages only. A name this
 * stage declares itself (after the use) is not case 2: the order is the problem there.
 */
function whyUndefined(
  name: string,
  globals: ReadonlyMap<string, ArgDeclaration>,
  stageArgs: ReadonlyMap<string, { stage: number; decl: ArgDeclaration }[]>,
  owner: Stage,
): Why | undefined {
  const global = globals.get(name);
  if (global) return { kind: 'global', decl: global };
  if (PREDEFINED_PLATFORM_ARGS.has(name)) return { kind: 'predefined' };
  const decls = stageArgs.get(name);
  if (!decls || owner.syntax.args.some((a) => a.name === name)) return undefined;
  return { kind: 'stage', decls };
}

function findingFor(model: StageModel, stage: Stage, use: VariableUse, why: Why) {
  const name = use.name;
  const bare = `a bare \`ARG ${name}\``;
  let because: string;
  let related: RelatedLocation[] = [];
  if (why.kind === 'global') {
    because = `ARG ${name} is declared before the first FROM, so inside a stage it is only visible after ${bare}.`;
    related = [{ range: why.decl.range, message: `ARG ${name} is declared here, before the first FROM` }];
  } else if (why.kind === 'predefined') {
    because = `${name} is predefined for FROM lines only: inside a stage it is only visible after ${bare}.`;
  } else if (why.kind === 'scratch') {
    const chain = why.root === stage.index ? `${stageLabel(model, stage.index)} is built FROM scratch` : `${stageLabel(model, stage.index)} is built on ${stageLabel(model, why.root)}, which is built FROM scratch`;
    because = `no ARG or ENV sets it before this line, and ${chain}, whose environment holds only PATH.`;
  } else {
    const labels = why.decls.slice(0, 3).map((d) => stageLabel(model, d.stage));
    const more = why.decls.length > 3 ? ` and ${why.decls.length - 3} more` : '';
    because = `ARG ${name} is declared in ${why.decls.length === 1 ? 'stage' : 'stages'} ${labels.join(', ')}${more}, which ${stageLabel(model, stage.index)} does not build on.`;
    related = why.decls.slice(0, 3).map((d) => ({ range: d.decl.range, message: `ARG ${name} is declared inside ${stageLabel(model, d.stage)}` }));
  }
  return {
    message: `Usage of undefined variable '$${name}': ${because}`,
    range: use.range,
    related,
    data: { name, reason: why.kind },
  };
}

function inHeredocBody(ins: InstructionSyntax, use: VariableUse): boolean {
  return ins.heredocs.some((h: Range) => use.range.start.line > h.start.line && use.range.start.line <= h.end.line);
}

