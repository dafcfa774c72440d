/**
 * ARG and ENV with BuildKit's scope: which declaration gives each `$NAME` / `${NAME…}` its value.
 *
 * - Global ARGs (before the first FROM) are visible in FROM lines (dockerfile2llb buildMetaArgs
 *   expands each with the ones before it), and inside a stage only after a bare `ARG NAME`,
 *   which takes the global value (dispatchArg).
 * - A stage's ARGs and ENVs are visible after their instruction (an ENV's own words are expanded
 *   before it applies: `ENV A=1 B=$A` reads the A from before), and in the stages built FROM it
 *   (dispatchState.init starts from the base stage's state).
 * - The predefined platform ARGs (TARGETPLATFORM…) are visible in FROM lines; inside a stage they
 *   too need `ARG NAME`. The proxy ARGs (HTTP_PROXY…) reach RUN without a declaration.
 * - CMD, ENTRYPOINT and HEALTHCHECK run in the container, whose environment holds ENVs but no
 *   build ARGs: their uses resolve to ENVs only.
 * - A `--from=` value (COPY, or a mount's `from=`) is not expanded (BuildKit rejects `$` there),
 *   and an ONBUILD trigger runs in another build: neither holds a use of this file's variables.
 * - Any other name may come from the base image's ENV: it has no declaration here.
 *
 * Built once per model, on first use, in one pass over the uses.
 */
import { Position, Range, comparePositions, lastStartingAtOrBefore, rangeContains } from './positions';
import { PREDEFINED_PLATFORM_ARGS, StageModel } from './stageModel';
import { ArgDeclaration, EnvDeclaration } from './syntax';
import { expandWithValues } from './fromVariables';

/** Build arguments BuildKit gives every build without a declaration (the proxies, both cases). */
export const PREDEFINED_PROXY_ARGS: ReadonlySet<string> = new Set(
  ['HTTP_PROXY', 'HTTPS_PROXY', 'FTP_PROXY', 'NO_PROXY', 'ALL_PROXY'].flatMap((n) => [n, n.toLowerCase()]),
);

export type VariableDecl =
  | { kind: 'global'; decl: ArgDeclaration }
  | { kind: 'arg'; stage: number; decl: ArgDeclaration }
  | { kind: 'env'; stage: number; decl: EnvDeclaration }
  | { kind: 'predefined'; name: string };

/** A use of a variable: where it is, in which stage (undefined before the first FROM), and whether in a FROM line. */
export interface VariableSite {
  name: string;
  range: Range;
  stage: number | undefined;
  inFrom: boolean;
  /** What gives it its value; undefined when nothing in this file does. */
  decl: VariableDecl | undefined;
  /** In an instruction that runs in the container (CMD, ENTRYPOINT, HEALTHCHECK): ENVs only. */
  runtime?: boolean;
}

/** Instructions whose words the container's shell reads at run time, where no build ARG exists. */
const RUNTIME: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT', 'HEALTHCHECK']);

/** A declaration site in the file: a global ARG, a stage's ARG or ENV. */
type Declared = Exclude<VariableDecl, { kind: 'predefined' }>;

const scopesByModel = new WeakMap<StageModel, VariableScopes>();

export function variableScopes(model: StageModel): VariableScopes {
  let scopes = scopesByModel.get(model);
  if (!scopes) scopesByModel.set(model, (scopes = new VariableScopes(model)));
  return scopes;
}

/** A declaration, and the position from which it is visible (ARG: its end; ENV: its instruction's end). */
interface Visible {
  from: Position;
  decl: Declared;
}

export class VariableScopes {
  readonly sites: VariableSite[] = [];
  /** For each ENV declaration, the end of the ENV instruction that holds it. */
  private readonly envEnds = new Map<EnvDeclaration, Position>();
  /** Per stage, per name, its declarations in file order: lookups by binary search, not by scan. */
  private readonly byStage: Map<string, Visible[]>[];
  private readonly globalsByName = new Map<string, ArgDeclaration[]>();

  constructor(readonly model: StageModel) {
    for (const g of model.globalArgs) {
      const list = this.globalsByName.get(g.name) ?? [];
      list.push(g);
      this.globalsByName.set(g.name, list);
    }
    this.byStage = model.stages.map((stage) => {
      let e = 0;
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword !== 'ENV') continue;
        for (; e < stage.syntax.envs.length && comparePositions(stage.syntax.envs[e].range.start, ins.range.end) <= 0; e++) {
          this.envEnds.set(stage.syntax.envs[e], ins.range.end);
        }
      }
      const visible: Visible[] = [
        ...stage.syntax.args.map((a): Visible => ({ from: a.range.end, decl: { kind: 'arg', stage: stage.index, decl: a } })),
        // An ENV's own words are expanded before it applies: only a later instruction sees it.
        ...stage.syntax.envs.map((d): Visible => ({ from: this.envEnds.get(d) ?? d.range.end, decl: { kind: 'env', stage: stage.index, decl: d } })),
      ].sort((a, b) => comparePositions(a.decl.decl.range.start, b.decl.decl.range.start));
      const byName = new Map<string, Visible[]>();
      for (const v of visible) {
        const list = byName.get(v.decl.decl.name) ?? [];
        list.push(v);
        byName.set(v.decl.decl.name, list);
      }
      return byName;
    });
    for (const ins of model.preamble) {
      for (const v of ins.variables) this.sites.push(this.site(v.name, v.range, undefined, false));
    }
    for (const stage of model.stages) {
      for (const v of stage.syntax.from.variables) this.sites.push(this.site(v.name, v.range, stage.index, true));
      const fromValues = stage.refs.filter((r) => r.kind !== 'from');
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword === 'FROM' || ins.keyword === 'ONBUILD') continue;
        const runtime = RUNTIME.has(ins.keyword);
        for (const v of ins.variables) {
          if (fromValues.some((r) => rangeContains(r.range, v.range.start))) continue;
          this.sites.push(this.site(v.name, v.range, stage.index, false, runtime));
        }
      }
    }
    // A FROM's flags come after its image in the scan: file order is what lookups rely on.
    this.sites.sort((a, b) => comparePositions(a.range.start, b.range.start));
  }

  private site(name: string, range: Range, stage: number | undefined, inFrom: boolean, runtime = false): VariableSite {
    const site: VariableSite = { name, range, stage, inFrom, decl: this.resolve(name, range.start, stage, inFrom, runtime) };
    if (runtime) site.runtime = true;
    return site;
  }

  /**
   * What gives `name` its value at `at`: in a FROM line or before the first FROM, or in stage
   * `stage` (at run time, `runtime`: its ENVs only).
   */
  resolve(name: string, at: Position, stage: number | undefined, inFrom: boolean, runtime = false): VariableDecl | undefined {
    if (stage === undefined || inFrom) {
      const global = lastBefore(this.globalsByName.get(name) ?? [], at);
      if (global) return { kind: 'global', decl: global };
      return PREDEFINED_PLATFORM_ARGS.has(name) || PREDEFINED_PROXY_ARGS.has(name) ? { kind: 'predefined', name } : undefined;
    }
    const own = this.declaredIn(stage, name, at, runtime);
    if (own) return own;
    for (let parent = this.parentOf(stage); parent !== undefined; parent = this.parentOf(parent)) {
      const inherited = this.declaredIn(parent, name, undefined, runtime);
      if (inherited) return inherited;
    }
    return !runtime && PREDEFINED_PROXY_ARGS.has(name) ? { kind: 'predefined', name } : undefined;
  }

  /** The stage built FROM … of `stage`, when it is a stage of this file. */
  parentOf(stage: number): number | undefined {
    const res = this.model.stages[stage].baseRef?.resolution;
    return res?.kind === 'stage' && !res.problem && res.stage < stage ? res.stage : undefined;
  }

  /** The last ARG or ENV (`envOnly`: ENV) of `name` in the stage, visible at `at` when given (else its last). */
  private declaredIn(stage: number, name: string, at: Position | undefined, envOnly = false): Declared | undefined {
    const all = this.byStage[stage].get(name);
    const list = envOnly ? all?.filter((v) => v.decl.kind === 'env') : all;
    if (!list || list.length === 0) return undefined;
    if (!at) return list[list.length - 1].decl;
    // The last declaration visible at `at` (declarations are in file order, and so are the
    // positions they are visible from).
    return lastStartingAtOrBefore(list, (v) => v.from, at)?.decl;
  }

  /** The variable use under the cursor. */
  siteAt(p: Position): VariableSite | undefined {
    // Sites are in file order: the last one starting at or before p is the only candidate.
    const found = lastStartingAtOrBefore(this.sites, (s) => s.range.start, p);
    return found && rangeContains(found.range, p) ? found : undefined;
  }

  /** The ARG or ENV whose name is under the cursor. */
  declarationAt(p: Position): Declared | undefined {
    for (const a of this.model.globalArgs) if (rangeContains(a.nameRange, p)) return { kind: 'global', decl: a };
    const stage = this.model.stageAt(p);
    if (!stage) return undefined;
    for (const a of stage.syntax.args) if (rangeContains(a.nameRange, p)) return { kind: 'arg', stage: stage.index, decl: a };
    for (const e of stage.syntax.envs) if (rangeContains(e.nameRange, p)) return { kind: 'env', stage: stage.index, decl: e };
    return undefined;
  }

  /**
   * Where a declaration's value comes from when it is not its own: a bare `ARG NAME` in a stage
   * takes the global ARG of that name.
   */
  source(d: VariableDecl): VariableDecl | undefined {
    if (d.kind !== 'arg' || d.decl.defaultValue !== undefined) return undefined;
    const global = this.model.globalArgs.filter((a) => a.name === d.decl.name).pop();
    return global ? { kind: 'global', decl: global } : undefined;
  }

  /**
   * One variable as a symbol: the declarations that must keep one name (a global ARG and the
   * bare `ARG NAME` that bring it into stages), and every use any of them gives its value.
   */
  symbol(d: VariableDecl): { declarations: Declared[]; uses: VariableSite[] } {
    if (d.kind === 'predefined') return { declarations: [], uses: this.sites.filter((s) => s.decl?.kind === 'predefined' && s.name === d.name) };
    const root = this.source(d) ?? d;
    const declarations: Declared[] = [root as Declared];
    if (root.kind === 'global') {
      for (const s of this.model.stages) {
        for (const a of s.syntax.args) {
          if (a.name === root.decl.name && a.defaultValue === undefined) declarations.push({ kind: 'arg', stage: s.index, decl: a });
        }
      }
      // Every global ARG of the name: a later one replaces the value, not the variable.
      for (const g of this.model.globalArgs) if (g.name === root.decl.name && g !== root.decl) declarations.push({ kind: 'global', decl: g });
    }
    const decls = new Set<ArgDeclaration | EnvDeclaration>(declarations.map((x) => x.decl));
    const uses = this.sites.filter((s) => s.decl && s.decl.kind !== 'predefined' && decls.has(s.decl.decl));
    return { declarations, uses };
  }

  /** The names visible at `at` (completion), with what declares each. */
  visibleAt(at: Position): Map<string, VariableDecl> {
    const out = new Map<string, VariableDecl>();
    const stage = this.model.stageAt(at);
    const inFrom = stage !== undefined && rangeContains(stage.syntax.from.range, at);
    if (!stage || inFrom) {
      for (const g of this.model.globalArgs) if (comparePositions(g.range.end, at) <= 0) out.set(g.name, { kind: 'global', decl: g });
      for (const n of PREDEFINED_PLATFORM_ARGS) if (!out.has(n)) out.set(n, { kind: 'predefined', name: n });
      return out;
    }
    const chain: number[] = [];
    for (let s: number | undefined = stage.index; s !== undefined; s = this.parentOf(s)) chain.push(s);
    // Nearest first: the stage itself (before the cursor), then its bases.
    chain.forEach((s, i) => {
      const syntax = this.model.stages[s].syntax;
      for (const a of syntax.args) if (!out.has(a.name) && (i > 0 || comparePositions(a.range.end, at) <= 0)) out.set(a.name, this.resolve(a.name, i > 0 ? syntax.range.end : at, s, false)!);
      for (const e of syntax.envs) if (!out.has(e.name) && (i > 0 || comparePositions(this.envEnds.get(e) ?? e.range.end, at) <= 0)) out.set(e.name, this.resolve(e.name, i > 0 ? syntax.range.end : at, s, false)!);
    });
    // The proxy ARGs resolve without a declaration but are not offered: they are rarely typed.
    return out;
  }

  /** The value a declaration gives, as far as the file decides it (undefined: the build does). */
  valueOf(d: VariableDecl, depth = 0): string | undefined {
    if (depth > 16) return undefined;
    switch (d.kind) {
      case 'predefined':
        return undefined;
      case 'global':
        return this.model.globalValues.get(d.decl.name);
      case 'arg': {
        const from = this.source(d);
        if (from) return this.valueOf(from, depth + 1);
        return d.decl.defaultValue === undefined ? undefined : this.expand(d.decl.defaultValue, d.decl.range.start, d.stage, depth);
      }
      case 'env':
        return this.expand(d.decl.value, d.decl.range.start, d.stage, depth);
    }
  }

  /** A word expanded with the values visible at `at` in `stage` (undefined when one is unknown). */
  expand(text: string, at: Position, stage: number | undefined, depth = 0, inFrom = false): string | undefined {
    const values = new Map<string, string | undefined>();
    for (const m of text.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)) {
      const d = this.resolve(m[1], at, stage, inFrom);
      values.set(m[1], d ? this.valueOf(d, depth + 1) : undefined);
    }
    return expandWithValues(text, values);
  }
}

function lastBefore(decls: readonly ArgDeclaration[], at: Position): ArgDeclaration | undefined {
  let found: ArgDeclaration | undefined;
  for (const d of decls) if (comparePositions(d.range.end, at) <= 0) found = d;
  return found;
}
