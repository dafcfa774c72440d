import { Range, comparePositions, rangeContains } from '../analysis/positions';
import { PREDEFINED_PLATFORM_ARGS, Stage, StageModel } from '../analysis/stageModel';
import { ArgDeclaration, InstructionSyntax, VariableUse } from '../analysis/syntax';
import { RelatedLocation, Rule } from './rule';
import { stageLabel } from './referenceDescriptions';
import { indentationAt, insertLineAfter } from './sourceText';

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
 * Any other unknown name is left alone: the base image may set it with ENV.
 *
 * Decisions:
 * - Instructions: those BuildKit expands and reports (ENV, LABEL, ADD, COPY, WORKDIR, USER,
 *   VOLUME, STOPSIGNAL, ARG defaults, RUN --mount values), plus RUN commands: the shell
 *   expands those at build time from the same environment, so a global ARG there is empty
 *   too — a real trap, although BuildKit itself does not report it. Not CMD, ENTRYPOINT,
 *   HEALTHCHECK, SHELL (run later, in the container), EXPOSE (BuildKit does not report it),
 *   ONBUILD (runs in another build), FROM (UndefinedArgInFrom).
 * - Here-document bodies are skipped: a script may set its own variables, and only its first
 *   line is visible to the rules. A RUN whose visible command assigns the name
 *   (`NAME=…`, `for NAME in`, `read NAME`, `export NAME`) is skipped for that name.
 * - ENV sets a name for later instructions (not its own: BuildKit expands an ENV's words
 *   before applying it). ENV keys are read from the instruction summary, the only text the
 *   model keeps: `ENV NAME value` sets NAME; `ENV A=1 B=2` sets A and B. The summary is cut
 *   after about 40 characters, so a cut `KEY=value` ENV may set more names than it shows:
 *   after one, nothing more is reported in that stage (or in stages built on it).
 * - A stage built FROM a base that depends on build arguments and could be a stage of this
 *   file is skipped (the chain is unknown), and so are stages built on a stage whose ONBUILD
 *   triggers declare ARGs or ENVs.
 * - A parent stage's ARG counts even when it has no value (BuildKit passes on only ARGs with
 *   a value, but then the variable is empty either way); an ARG counts for uses after its
 *   own declaration only (`ARG B=$B` uses the outer B).
 * - One finding per instruction and name, at its first use. A use inside a `--from=` value is
 *   VariableInFromFlag's.
 * - The base image's own ENV may define the same name (the `node` image sets NODE_VERSION):
 *   BuildKit would then not warn, but the value is the image's, not the ARG's, so the finding
 *   stands.
 */
const EXPANDED: ReadonlySet<string> = new Set(['ENV', 'LABEL', 'ADD', 'COPY', 'WORKDIR', 'USER', 'VOLUME', 'STOPSIGNAL', 'ARG', 'RUN']);

/** What a stage's chain provides: names set before a point, or "anything" after a cut ENV. */
interface Scope {
  names: Set<string>;
  unknown: boolean;
}

type Why =
  | { kind: 'global'; decl: ArgDeclaration }
  | { kind: 'predefined' }
  | { kind: 'stage'; decls: { stage: number; decl: ArgDeclaration }[] };

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
        const list = stageArgs.get(a.name) ?? [];
        if (!list.some((d) => d.stage === s.index)) list.push({ stage: s.index, decl: a });
        stageArgs.set(a.name, list);
      }
    }
    if (globals.size === 0 && stageArgs.size === 0 && !usesPredefined(model)) return;

    const chains = new Map<number, number[] | undefined>();
    for (const stage of model.stages) {
      const chain = fromChain(model, stage, chains);
      if (!chain) continue;
      const inherited: Scope = { names: new Set(), unknown: false };
      for (const p of chain) addWholeStage(model.stages[p], inherited);
      if (inherited.unknown) continue;
      /** Names set by this stage's ENVs so far (its ARGs are looked up by position). */
      const own = new Set<string>();
      let unknown = false;
      const fromRefs = stage.refs.filter((r) => r.kind === 'copy' || r.kind === 'add' || r.kind === 'mount');
      for (const ins of stage.syntax.instructions) {
        if (unknown) break;
        if (EXPANDED.has(ins.keyword) && ins.variables.length > 0) {
          const reported = new Set<string>();
          for (const use of ins.variables) {
            const name = use.name;
            if (reported.has(name) || inherited.names.has(name) || own.has(name)) continue;
            if (inHeredocBody(ins, use) || fromRefs.some((r) => rangeContains(r.range, use.range.start))) continue;
            if (stage.syntax.args.some((a) => a.name === name && comparePositions(a.range.end, use.range.start) <= 0)) continue;
            const why = whyUndefined(name, globals, stageArgs, chain, stage.index);
            if (!why) continue;
            if (ins.keyword === 'RUN' && assignsInShell(ins.summary, name)) continue;
            reported.add(name);
            report(findingFor(model, stage, use, why));
          }
        }
        const env = envKeys(ins);
        if (env === 'unknown') unknown = true;
        else for (const k of env) own.add(k);
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

function usesPredefined(model: StageModel): boolean {
  return model.stages.some((s) => s.syntax.instructions.some((i) => i.variables.some((v) => PREDEFINED_PLATFORM_ARGS.has(v.name))));
}

/**
 * The stages this one is built FROM, nearest first; undefined when the chain is not known
 * (a base built from build arguments that could name a stage here).
 */
function fromChain(model: StageModel, stage: Stage, memo: Map<number, number[] | undefined>): number[] | undefined {
  if (memo.has(stage.index)) return memo.get(stage.index);
  let chain: number[] | undefined = [];
  const res = stage.baseRef?.resolution;
  if (res?.kind === 'stage' && res.stage < stage.index) {
    const parent = fromChain(model, model.stages[res.stage], memo);
    chain = parent ? [res.stage, ...parent] : undefined;
  } else if (res?.kind === 'variable' && (res.candidates.length > 0 || res.withDefaults !== undefined)) {
    chain = undefined;
  }
  memo.set(stage.index, chain);
  return chain;
}

/** Everything a parent stage defines for the stages built FROM it. */
function addWholeStage(stage: Stage, scope: Scope): void {
  for (const a of stage.syntax.args) scope.names.add(a.name);
  for (const ins of stage.syntax.instructions) {
    const env = envKeys(ins);
    if (env === 'unknown') scope.unknown = true;
    else for (const k of env) scope.names.add(k);
    // ONBUILD ARG / ENV run in the child, before its own instructions.
    if (ins.keyword === 'ONBUILD' && /^(arg|env)\b/i.test(ins.summary)) scope.unknown = true;
  }
}

function whyUndefined(
  name: string,
  globals: ReadonlyMap<string, ArgDeclaration>,
  stageArgs: ReadonlyMap<string, { stage: number; decl: ArgDeclaration }[]>,
  chain: readonly number[],
  owner: number,
): Why | undefined {
  const global = globals.get(name);
  if (global) return { kind: 'global', decl: global };
  if (PREDEFINED_PLATFORM_ARGS.has(name)) return { kind: 'predefined' };
  const decls = stageArgs.get(name)?.filter((d) => d.stage !== owner && !chain.includes(d.stage));
  // Declared in this stage (only after the use) or in its chain: not case 2.
  if (!decls || decls.length === 0 || stageArgs.get(name)!.some((d) => d.stage === owner || chain.includes(d.stage))) return undefined;
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

/** Whether a RUN's visible command sets the name as a shell variable itself. */
function assignsInShell(summary: string, name: string): boolean {
  const n = name.replace(/[^A-Za-z0-9_]/g, '');
  return new RegExp(`(^|[\\s;&|(])(export\\s+|local\\s+|readonly\\s+|declare\\s+(-\\w+\\s+)*)?${n}=|\\bfor\\s+${n}\\b|\\bread\\b[^;&|]*\\b${n}\\b|\\bexport\\s+${n}\\b`).test(summary);
}

/**
 * The names an ENV instruction sets, read from its summary; 'unknown' when the summary was
 * cut inside a `KEY=value` list (more keys may follow). Not an ENV: none.
 */
export function envKeys(ins: InstructionSyntax): string[] | 'unknown' {
  if (ins.keyword !== 'ENV') return [];
  const cut = ins.summary.endsWith('…');
  const text = cut ? ins.summary.slice(0, -1) : ins.summary;
  const words = shellWords(text);
  if (words.length === 0) return cut ? 'unknown' : [];
  const first = words[0];
  const eq = first.indexOf('=');
  // `ENV NAME value…`: one key, whatever follows.
  if (eq === -1) return words.length > 1 || !cut ? [first] : 'unknown';
  if (cut) return 'unknown';
  const keys: string[] = [];
  for (const w of words) {
    const i = w.indexOf('=');
    if (i > 0) keys.push(w.slice(0, i));
  }
  return keys;
}

/** Splits on blanks outside quotes (a backslash keeps the next character in the word). */
function shellWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote = '';
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = '';
      else word += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      inWord = true;
    } else if (c === '\\' && i + 1 < text.length) {
      word += text[++i];
      inWord = true;
    } else if (c === ' ' || c === '\t') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
