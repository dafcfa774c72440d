/**
 * The StageModel: every stage, every stage reference and how BuildKit resolves it, the
 * dependency graph and what the default target reaches. Built once per document version from
 * the parsed pieces; every feature, rule and the CLI read it and never parse again.
 */
import { ParsedDocument } from './documentParser';
import { Position, Range, lastStartingAtOrBefore, rangeContains } from './positions';
import { ArgDeclaration, Directive, InstructionSyntax, StageRefSyntax, StageRefSyntaxKind, StageSyntax, Token } from './syntax';
import { hasVariable, parseStageIndex } from './stageNames';
import { expandWithValues, stagePatternPrefix, unquoteWord, variablePattern } from './fromVariables';

export type Resolution =
  /**
   * A stage of this file. `problem` marks a reference BuildKit rejects: to the stage it is in
   * (`self`), COPY or mount from a stage defined later (`later`), or an edge of a dependency cycle.
   */
  | { kind: 'stage'; stage: number; problem?: 'self' | 'later' | 'cycle' }
  /** No stage of that name: BuildKit uses (and may pull) an image. */
  | { kind: 'image' }
  /** A FROM base that uses build arguments; `candidates` are the earlier stages it could name. */
  | { kind: 'variable'; candidates: number[]; withDefaults?: number }
  /**
   * `ONBUILD COPY --from`: resolved in the build of an image made FROM the stage that holds it.
   * `runsHere` when a stage of this file is built FROM that stage (the trigger then runs in this
   * build), and `stage` the stage it finds there.
   */
  | { kind: 'deferred'; runsHere: boolean; stage?: number }
  /** Rejected by BuildKit before any stage is looked up. */
  | { kind: 'invalid'; reason: 'index-out-of-range' | 'add-from' | 'variable' | 'empty' };

export interface StageRef extends StageRefSyntax {
  /** Index of the stage whose instruction holds the reference. */
  owner: number;
  /** `--from=N`. */
  numeric: boolean;
  resolution: Resolution;
}

export interface Stage {
  index: number;
  syntax: StageSyntax;
  /** The name as written after AS, if any. */
  name: string | undefined;
  /** The name as BuildKit keys it (lower-cased). */
  key: string | undefined;
  nameRange: Range | undefined;
  /** The reference made by the FROM line's base. */
  baseRef: StageRef | undefined;
  /** The references this stage's instructions make, in order (FROM base first). */
  refs: StageRef[];
  /** The references that resolve to this stage, in file order. */
  incoming: StageRef[];
  /** Stages this one needs (FROM base, COPY --from, mount from=), each once, in file order. */
  dependsOn: number[];
  /** Stages that need this one, each once. */
  usedBy: number[];
  /** Whether building the default target (the last stage) builds this stage. */
  reachable: boolean;
}

export interface GlobalArg extends ArgDeclaration {}

/** Build arguments BuildKit defines for every FROM line without a declaration. */
export const PREDEFINED_PLATFORM_ARGS: ReadonlySet<string> = new Set([
  'TARGETPLATFORM', 'TARGETOS', 'TARGETARCH', 'TARGETVARIANT',
  'BUILDPLATFORM', 'BUILDOS', 'BUILDARCH', 'BUILDVARIANT',
  // Newer BuildKit releases add these to the same default set (dockerfile2llb defaultArgs).
  'TARGETOSVERSION', 'BUILDOSVERSION', 'TARGETSTAGE',
]);

export class StageModel {
  readonly stages: Stage[] = [];
  /** Every stage reference in file order, FROM bases included. */
  readonly refs: StageRef[] = [];
  readonly globalArgs: GlobalArg[];
  readonly directives: Directive[];
  readonly escapeChar: string;
  /** Instructions before the first FROM. */
  readonly preamble: InstructionSyntax[];
  /** The comment right above the first FROM, BuildKit's description of its stage (syntax.ts PreambleSyntax). */
  readonly preambleComment: Token | undefined;
  readonly lineCount: number;
  /** Lower-cased name → the last stage defined with it (BuildKit's lookup for --from and from=). */
  readonly stageByKey = new Map<string, number>();
  /** Global ARG → its default as BuildKit expands it (undefined: declared without a value). */
  readonly globalValues = new Map<string, string | undefined>();

  constructor(readonly version: number, doc: ParsedDocument) {
    this.globalArgs = doc.preamble.args;
    this.directives = doc.directives;
    this.escapeChar = doc.escapeChar;
    this.preamble = doc.preamble.instructions;
    this.preambleComment = doc.preamble.trailingComment;
    this.lineCount = doc.lineCount;

    // dockerfile2llb buildMetaArgs: each global default is expanded with the global ARGs
    // declared before it; a bare `ARG X` keeps the value an earlier `ARG X=…` gave.
    const globalValues = this.globalValues;
    for (const a of this.globalArgs) {
      if (a.defaultValue === undefined) {
        if (!globalValues.has(a.name)) globalValues.set(a.name, undefined);
      } else {
        globalValues.set(a.name, expandWithValues(a.defaultValue, globalValues));
      }
    }

    // FROM sees only earlier stages, so its lookup table grows as we go.
    const earlierByKey = new Map<string, number>();
    const earlier = new SortedKeys();
    const baseWords = new Map<string, BaseWord>();
    const word = (text: string): BaseWord => {
      let w = baseWords.get(text);
      if (!w) baseWords.set(text, (w = readBaseWord(text, globalValues, doc.escapeChar)));
      return w;
    };
    doc.stages.forEach((syntax, index) => {
      const name = syntax.from.name;
      const stage: Stage = {
        index,
        syntax,
        name: name?.text,
        key: name?.text.toLowerCase(),
        nameRange: name?.range,
        baseRef: undefined,
        refs: [],
        incoming: [],
        dependsOn: [],
        usedBy: [],
        reachable: false,
      };
      const base = syntax.from.base;
      if (base) {
        stage.baseRef = {
          kind: 'from',
          value: base.text,
          range: base.range,
          quoteSuffix: '',
          flagRange: base.range,
          lineParts: undefined,
          instructionRange: syntax.from.range,
          owner: index,
          numeric: false,
          resolution: resolveFromBase(word(base.text), earlierByKey, earlier),
        };
      }
      this.stages.push(stage);
      if (stage.key !== undefined) {
        if (!earlierByKey.has(stage.key)) earlier.add(stage.key);
        earlierByKey.set(stage.key, index);
      }
    });
    for (const [key, index] of earlierByKey) this.stageByKey.set(key, index);

    // BuildKit appends an implicit state to its stage list for every --from / from= that names
    // an image, in file order (dockerfile2llb buildStageDependencyGraph → addState); a numeric
    // --from looked up later counts them (findStateByIndex).
    let implicitStates = 0;
    for (const stage of this.stages) {
      if (stage.baseRef) stage.refs.push(stage.baseRef);
      for (const r of stage.syntax.refs) {
        const numeric = r.kind === 'copy' && parseStageIndex(r.value) !== undefined;
        // Fields named, not spread: a spread copy is several times slower, on thousands of refs.
        const ref: StageRef = {
          kind: r.kind,
          value: r.value,
          range: r.range,
          quoteSuffix: r.quoteSuffix,
          flagRange: r.flagRange,
          lineParts: r.lineParts,
          instructionRange: r.instructionRange,
          owner: stage.index,
          numeric,
          resolution: this.resolveFlag(r.kind, r.value, stage.index, implicitStates),
        };
        if (createsImplicitState(ref)) implicitStates++;
        stage.refs.push(ref);
      }
      for (const r of stage.refs) this.refs.push(r);
    }
    this.buildGraph();
  }

  /** `--from=` / `from=` / ONBUILD values (BuildKit: instructions/parse.go, dockerfile2llb/convert.go). */
  private resolveFlag(kind: StageRefSyntaxKind, value: string, owner: number, implicitStates: number): Resolution {
    if (kind === 'onbuild') return { kind: 'deferred', runsHere: false };
    if (kind === 'add') return { kind: 'invalid', reason: 'add-from' };
    if (value === '') {
      // An empty mount `from=` is looked up as `scratch` (convert_runmount.go detectRunMount):
      // the empty image, or a stage that took that reserved name. An empty --from is no
      // --from at all: BuildKit copies from the build context (reported by EmptyFromFlag).
      if (kind !== 'mount') return { kind: 'invalid', reason: 'empty' };
      const scratch = this.stageByKey.get('scratch');
      return scratch === undefined ? { kind: 'image' } : stageResolution(scratch, owner);
    }
    // The value has lost its quotes and backslash escapes already (flagReader.ts). COPY --from
    // is then checked for anything the shell lexer would still change (variables, quotes, the
    // file's escape character: dockerfile2llb toCommand); mount from= only for a `$` followed by
    // anything (instructions/commands_runmount.go parseMount: `\$.`).
    if (kind === 'mount' ? /\$./.test(value) : hasVariable(value) || /["']/.test(value) || value.includes(this.escapeChar)) {
      return { kind: 'invalid', reason: 'variable' };
    }
    if (kind === 'copy') {
      const index = parseStageIndex(value);
      if (index !== undefined) {
        // findStateByIndex counts the implicit image states appended before this COPY too.
        if (index >= this.stages.length && index < this.stages.length + implicitStates) return { kind: 'image' };
        if (index < 0 || index >= this.stages.length) return { kind: 'invalid', reason: 'index-out-of-range' };
        return stageResolution(index, owner);
      }
    }
    const stage = this.stageByKey.get(value.toLowerCase());
    if (stage === undefined) return { kind: 'image' };
    // Stages are dispatched in file order, and both a COPY and a mount need their source stage
    // dispatched already: "cannot copy from stage" (convert.go dispatch), "cannot mount from
    // stage … stage needs to be defined before current command" (convert_runmount.go
    // dispatchRunMounts).
    return stageResolution(stage, owner);
  }

  private buildGraph(): void {
    const add = (from: number, to: number) => {
      const s = this.stages[from];
      if (to === from || s.dependsOn.includes(to)) return;
      s.dependsOn.push(to);
      this.stages[to].usedBy.push(from);
    };
    const childrenOf = this.resolveTriggers();
    for (const r of this.refs) {
      const res = r.resolution;
      if (res.kind === 'stage') {
        this.stages[res.stage].incoming.push(r);
        add(r.owner, res.stage);
      } else if (res.kind === 'variable') {
        for (const c of res.candidates) add(r.owner, c);
      } else if (res.kind === 'deferred' && res.stage !== undefined) {
        // The trigger runs in each child's build: a use of the stage …
        this.stages[res.stage].incoming.push(r);
      }
    }
    // … and a dependency of each child, after the child's own.
    for (const r of this.refs) {
      const res = r.resolution;
      if (res.kind === 'deferred' && res.stage !== undefined) for (const child of childrenOf.get(r.owner)!) add(child, res.stage);
    }
    this.markCycles();
    for (const s of this.stages) s.usedBy.sort((a, b) => a - b);
    const target = this.targetIndex;
    if (target !== undefined) for (const i of this.reachableFrom(target)) this.stages[i].reachable = true;
  }

  /**
   * ONBUILD triggers of a stage run in the stages built FROM it in this file
   * (dockerfile2llb initOnBuildTriggers): there a trigger's --from finds a stage of this file by
   * index or by name, as COPY --from does. Returns the children of each stage with triggers.
   */
  private resolveTriggers(): Map<number, number[]> {
    const childrenOf = new Map<number, number[]>();
    for (const r of this.refs) if (r.kind === 'onbuild') childrenOf.set(r.owner, []);
    if (childrenOf.size === 0) return childrenOf;
    for (const child of this.stages) {
      const base = child.baseRef?.resolution;
      if (base?.kind === 'stage' && !base.problem) childrenOf.get(base.stage)?.push(child.index);
    }
    for (const r of this.refs) {
      if (r.kind !== 'onbuild' || childrenOf.get(r.owner)!.length === 0) continue;
      const index = parseStageIndex(r.value);
      const target = index !== undefined ? index : this.stageByKey.get(r.value.toLowerCase());
      const found = target !== undefined && target >= 0 && target < this.stages.length ? target : undefined;
      r.resolution = found === undefined ? { kind: 'deferred', runsHere: true } : { kind: 'deferred', runsHere: true, stage: found };
    }
    return childrenOf;
  }

  /**
   * Marks references that close a dependency cycle (dockerfile2llb validateCircularDependency).
   * BuildKit walks only the `deps` edges, which COPY --from and RUN --mount from= make; the
   * FROM base is not one, so a loop that needs a FROM edge is no "circular dependency" (its
   * COPY from a later stage fails at dispatch instead: LaterStageReference).
   */
  private markCycles(): void {
    const deps: number[][] = this.stages.map(() => []);
    for (const r of this.refs) {
      if ((r.kind === 'copy' || r.kind === 'mount') && r.resolution.kind === 'stage' && r.resolution.stage !== r.owner) {
        deps[r.owner].push(r.resolution.stage);
      }
    }
    const component = stronglyConnectedComponents(deps);
    for (const r of this.refs) {
      const res = r.resolution;
      if ((r.kind === 'copy' || r.kind === 'mount') && res.kind === 'stage' && res.problem !== 'self' && res.stage !== r.owner && component[res.stage] === component[r.owner]) {
        r.resolution = { kind: 'stage', stage: res.stage, problem: 'cycle' };
      }
    }
  }

  /**
   * How the FROM base of `ref`, a base built from build arguments, would treat an earlier stage
   * named `key`: whether the arguments can make it name that stage, and whether it does with
   * their defaults. (What a rename must keep as it was.)
   */
  baseWouldName(ref: StageRef, key: string): { can: boolean; withDefaults: boolean } {
    const word = readBaseWord(ref.value, this.globalValues, this.escapeChar);
    if (word.literal !== undefined) return { can: word.literal === key, withDefaults: word.literal === key };
    const withDefaults = word.expanded === key;
    // The model's candidates: the names the pattern matches, and the one the defaults give.
    return { can: withDefaults || (key.startsWith(word.prefix) && word.pattern !== undefined && word.pattern.test(key)), withDefaults };
  }

  /** The default target: the last stage. */
  get targetIndex(): number | undefined {
    return this.stages.length > 0 ? this.stages.length - 1 : undefined;
  }

  /** Stages built when building `target` (itself included), in index order. */
  reachableFrom(target: number): number[] {
    const seen = new Set<number>([target]);
    const queue = [target];
    while (queue.length > 0) {
      const s = queue.pop()!;
      for (const d of this.stages[s].dependsOn) {
        if (!seen.has(d)) {
          seen.add(d);
          queue.push(d);
        }
      }
    }
    return [...seen].sort((a, b) => a - b);
  }

  /** The `--target` lookup: case-insensitive, last definition. */
  stageForTarget(name: string): Stage | undefined {
    const i = this.stageByKey.get(name.toLowerCase());
    return i === undefined ? undefined : this.stages[i];
  }

  /** The stage whose lines hold `p` (from its FROM to the line before the next FROM). */
  stageAt(p: Position): Stage | undefined {
    return lastStartingAtOrBefore(this.stages, (s) => s.syntax.from.range.start, p);
  }

  /** The stage reference whose value touches `p`. */
  refAt(p: Position): StageRef | undefined {
    const stage = this.stageAt(p);
    if (!stage) return undefined;
    for (const r of stage.refs) if (rangeContains(r.range, p)) return r;
    return undefined;
  }

  /** The stage whose `AS name` touches `p`. */
  declarationAt(p: Position): Stage | undefined {
    const stage = this.stageAt(p);
    return stage?.nameRange && rangeContains(stage.nameRange, p) ? stage : undefined;
  }

  /**
   * A name for the editor: the name as written, or `stage N` for an unnamed stage, as the outline
   * shows it (not BuildKit's `stage-N`, which reads like a `--target` and is none).
   */
  displayName(stage: Stage): string {
    return stage.name ?? `stage ${stage.index}`;
  }
}

/**
 * Whether BuildKit appends an implicit image state for this reference: a COPY --from name or
 * a mount from= that matches no stage (dockerfile2llb toCommand, detectRunMount).
 * Newer BuildKit also adds a `scratch` state for every mount without from=; those are not
 * counted here (the syntax facts do not list mounts without from=).
 */
export function createsImplicitState(ref: StageRef): boolean {
  return (ref.kind === 'copy' || ref.kind === 'mount') && ref.resolution.kind === 'image' && !ref.numeric;
}

function stageResolution(stage: number, owner: number): Resolution {
  if (stage === owner) return { kind: 'stage', stage, problem: 'self' };
  if (stage > owner) return { kind: 'stage', stage, problem: 'later' };
  return { kind: 'stage', stage };
}

/** Tarjan's algorithm, iterative: the component id of every node. */
function stronglyConnectedComponents(edges: readonly number[][]): number[] {
  const n = edges.length;
  const index = new Array<number>(n).fill(-1);
  const low = new Array<number>(n).fill(0);
  const component = new Array<number>(n).fill(-1);
  const onStack = new Array<boolean>(n).fill(false);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    const work: { node: number; edge: number }[] = [{ node: root, edge: 0 }];
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = true;
    while (work.length > 0) {
      const top = work[work.length - 1];
      const v = top.node;
      if (top.edge < edges[v].length) {
        const w = edges[v][top.edge++];
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = true;
          work.push({ node: w, edge: 0 });
        } else if (onStack[w]) {
          low[v] = Math.min(low[v], index[w]);
        }
        continue;
      }
      work.pop();
      if (work.length > 0) low[work[work.length - 1].node] = Math.min(low[work[work.length - 1].node], low[v]);
      if (low[v] === index[v]) {
        let w: number;
        do {
          w = stack.pop()!;
          onStack[w] = false;
          component[w] = components;
        } while (w !== v);
        components++;
      }
    }
  }
  return component;
}

/**
 * `FROM X`: an earlier stage whose lower-cased name equals X as written, else an image.
 * With build arguments in X, the stages the pattern could name (dockerfile2llb expands FROM
 * with the global ARGs, which a build can override).
 */
/** What a FROM base word means independently of the stages before it (the same for every FROM with that text). */
interface BaseWord {
  /** The word after quote and escape removal, when it has no variable. */
  literal: string | undefined;
  /** For a word with variables: the pattern of stage names it can expand to, and their common prefix. */
  pattern: RegExp | undefined;
  prefix: string;
  /** The word expanded with the global ARGs' defaults, when they decide it. */
  expanded: string | undefined;
}

function readBaseWord(base: string, globalValues: ReadonlyMap<string, string | undefined>, escapeChar: string): BaseWord {
  // The base goes through the shell lexer (quotes, escapes) before the lookup.
  const literal = unquoteWord(base, escapeChar);
  if (literal !== undefined) return { literal, pattern: undefined, prefix: '', expanded: undefined };
  // Only names that start with the literal prefix can match; a base whose literal text cannot
  // be part of a stage name (`golang:${V}`) names no stage at all.
  const prefix = stagePatternPrefix(base);
  return {
    literal: undefined,
    pattern: prefix === undefined ? undefined : variablePattern(base, globalValues),
    prefix: prefix ?? '',
    expanded: expandWithValues(base, globalValues),
  };
}

function resolveFromBase(
  word: BaseWord,
  earlierByKey: ReadonlyMap<string, number>,
  earlier: SortedKeys,
): Resolution {
  const literal = word.literal;
  if (literal !== undefined) {
    const stage = earlierByKey.get(literal);
    return stage === undefined ? { kind: 'image' } : { kind: 'stage', stage };
  }
  const candidates = new Set<number>();
  const { pattern, expanded } = word;
  if (pattern) for (const key of earlier.withPrefix(word.prefix)) if (pattern.test(key)) candidates.add(earlierByKey.get(key)!);
  const withDefaults = expanded === undefined ? undefined : earlierByKey.get(expanded);
  if (withDefaults !== undefined) candidates.add(withDefaults);
  return { kind: 'variable', candidates: [...candidates].sort((a, b) => a - b), withDefaults };
}

/** Stage keys kept sorted, to find those with a given prefix by binary search. */
class SortedKeys {
  private readonly keys: string[] = [];

  add(key: string): void {
    this.keys.splice(this.lowerBound(key), 0, key);
  }

  withPrefix(prefix: string): string[] {
    const from = this.lowerBound(prefix);
    let to = from;
    while (to < this.keys.length && this.keys[to].startsWith(prefix)) to++;
    return this.keys.slice(from, to);
  }

  private lowerBound(key: string): number {
    let lo = 0;
    let hi = this.keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.keys[mid] < key) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}
