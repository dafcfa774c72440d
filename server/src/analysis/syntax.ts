/**
 * The plain syntax facts the analysis needs, read off dockerfile-ast once per piece of text.
 * No dockerfile-ast object survives past extraction: the model holds only these records,
 * which keeps memory low and lets a piece's facts be reused when only its line offset changed.
 */
import { Range, shiftRange } from './positions';
import { InstructionFacts, shiftFacts } from './instructionFacts';

export interface Token {
  text: string;
  range: Range;
}

export interface InstructionSyntax {
  /** Upper-cased keyword, e.g. `COPY`. */
  keyword: string;
  /** The keyword as written, e.g. `copy`. */
  keywordText: string;
  keywordRange: Range;
  range: Range;
  /** Ranges of here-documents (from the `<<EOF` line to the delimiter line). */
  heredocs: Range[];
  /** The arguments on one line, shortened, for the outline (`go build -o /out/app .`). */
  summary: string;
  /** Variables the instruction uses (`$X`, `${X:-y}`), heredoc bodies included. */
  variables: VariableUse[];
  /** Names the instruction sets: the keys of an ENV (empty for other instructions). */
  assigns: string[];
  /**
   * A RUN's flags, each word as BuildKit reads it (flagReader.ts), e.g.
   * `--mount=type=cache,target=/root/.cache`; empty for other instructions.
   */
  runFlags: Token[];
  /**
   * What BuildKit's lint checks read off the instruction's text (instructionFacts.ts): set only
   * for the instructions a check reads, undefined for the others.
   */
  facts?: InstructionFacts;
}

/** Where a stage is referenced by name or index, before resolution. */
export type StageRefSyntaxKind =
  /** `FROM NAME`: an earlier stage or an image. */
  | 'from'
  /** `COPY --from=X`: a stage name, a stage index or an image. */
  | 'copy'
  /** `ADD --from=X`: not a BuildKit flag; reported, never resolved. */
  | 'add'
  /** `RUN --mount=…,from=X`: a stage name or an image, never an index. */
  | 'mount'
  /** `ONBUILD COPY --from=X`: resolved in the child image's build. */
  | 'onbuild';

export interface StageRefSyntax {
  kind: StageRefSyntaxKind;
  /** The name or index as BuildKit reads it: continuation lines joined, quotes and escapes removed. */
  value: string;
  /**
   * The value as written (the part a rename replaces), its quotes and escapes included; it may
   * span continuation lines.
   */
  range: Range;
  /**
   * What an edit replacing `range` with a plain name writes after the name so that the quotes
   * around it still pair up ('' nearly always; see flagReader.ts wordToken).
   */
  quoteSuffix: string;
  /** The whole flag as written (`--from=build`, or the mount's `from=build`); the base for FROM. */
  flagRange: Range;
  /** For a value written over several lines (a continuation inside it), its part on each line. */
  lineParts: Range[] | undefined;
  /** Range of the whole instruction holding the reference. */
  instructionRange: Range;
}

export interface VariableUse {
  name: string;
  range: Range;
}

export interface ArgDeclaration {
  name: string;
  nameRange: Range;
  /** Undefined for a bare `ARG NAME`. */
  defaultValue: string | undefined;
  range: Range;
}

/** A name an ENV instruction sets (`ENV NAME=value` or the legacy `ENV NAME value`). */
export interface EnvDeclaration {
  name: string;
  nameRange: Range;
  /** The value as written, quotes removed (its variables not expanded). */
  value: string;
  /** The whole `NAME=value`. */
  range: Range;
}

export interface FromSyntax {
  keywordText: string;
  keywordRange: Range;
  range: Range;
  /** Arguments after the flags, split at blanks as BuildKit does: `IMAGE [AS NAME]`. */
  args: Token[];
  /** The image or stage the stage starts from (`args[0]`), if any. */
  base: Token | undefined;
  asKeyword: Token | undefined;
  /** The stage name as written, when `args` has the shape `IMAGE AS NAME`. */
  name: Token | undefined;
  /** Variables used in the FROM line (base, platform flag). */
  variables: VariableUse[];
}

/**
 * A `--from` flag written so that BuildKit's flag parser rejects the instruction before anything
 * is built (frontend/dockerfile/instructions/bflag.go, BFlags.Parse): with no `=` ("Missing a
 * value on flag"), or a second time on one instruction ("Duplicate flag specified").
 */
export interface FromFlagIssue {
  /** `casing`: `--FROM`, which BuildKit does not know ("unknown flag": flag names are case-sensitive). */
  kind: 'missing-value' | 'duplicate' | 'casing';
  /** The instruction holding it: COPY, ADD, or ONBUILD for its trigger. */
  keyword: string;
  /** The whole flag as written (`--from`, `--from=b`). */
  range: Range;
  /**
   * For a missing value: the word after the flag, which BuildKit reads as a source path. For a
   * casing issue: the flag's name as written.
   */
  nextWord: Token | undefined;
  /** How many arguments follow the flags (sources and destination, and that word). */
  argumentCount: number;
}

export interface StageSyntax {
  from: FromSyntax;
  /** Every instruction of the stage, the FROM included. */
  instructions: InstructionSyntax[];
  refs: StageRefSyntax[];
  fromFlagIssues: FromFlagIssue[];
  args: ArgDeclaration[];
  envs: EnvDeclaration[];
  /** From the FROM line to the end of the stage's last instruction. */
  range: Range;
  /**
   * The comment BuildKit takes as the description of the next stage: the last comment line
   * between this stage's last instruction and the next FROM (instructionFacts.ts descriptionComment).
   */
  trailingComment?: Token;
}

/** What comes before the first FROM: parser directives, global ARGs and stray instructions. */
export interface PreambleSyntax {
  instructions: InstructionSyntax[];
  args: ArgDeclaration[];
  /** The description comment of the first FROM: the last comment line before it (see StageSyntax). */
  trailingComment?: Token;
}

export interface Directive {
  name: string;
  value: string;
  range: Range;
}

export function shiftToken(t: Token, lines: number): Token {
  return { text: t.text, range: shiftRange(t.range, lines) };
}

export function shiftInstruction(i: InstructionSyntax, lines: number): InstructionSyntax {
  return {
    keyword: i.keyword,
    keywordText: i.keywordText,
    keywordRange: shiftRange(i.keywordRange, lines),
    range: shiftRange(i.range, lines),
    heredocs: i.heredocs.map((h) => shiftRange(h, lines)),
    summary: i.summary,
    variables: i.variables.map((v) => ({ name: v.name, range: shiftRange(v.range, lines) })),
    assigns: i.assigns,
    runFlags: i.runFlags.length > 0 ? i.runFlags.map((f) => shiftToken(f, lines)) : i.runFlags,
    facts: i.facts && shiftFacts(i.facts, lines),
  };
}

export function shiftArg(a: ArgDeclaration, lines: number): ArgDeclaration {
  return {
    name: a.name,
    nameRange: shiftRange(a.nameRange, lines),
    defaultValue: a.defaultValue,
    range: shiftRange(a.range, lines),
  };
}

export function shiftStageSyntax(s: StageSyntax, lines: number): StageSyntax {
  if (lines === 0) return s;
  const f = s.from;
  return {
    from: {
      keywordText: f.keywordText,
      keywordRange: shiftRange(f.keywordRange, lines),
      range: shiftRange(f.range, lines),
      args: f.args.map((a) => shiftToken(a, lines)),
      base: f.base && shiftToken(f.base, lines),
      asKeyword: f.asKeyword && shiftToken(f.asKeyword, lines),
      name: f.name && shiftToken(f.name, lines),
      variables: f.variables.map((v) => ({ name: v.name, range: shiftRange(v.range, lines) })),
    },
    instructions: s.instructions.map((i) => shiftInstruction(i, lines)),
    refs: s.refs.map((r) => ({
      kind: r.kind,
      value: r.value,
      range: shiftRange(r.range, lines),
      quoteSuffix: r.quoteSuffix,
      flagRange: shiftRange(r.flagRange, lines),
      lineParts: r.lineParts && r.lineParts.map((p) => shiftRange(p, lines)),
      instructionRange: shiftRange(r.instructionRange, lines),
    })),
    fromFlagIssues: s.fromFlagIssues.map((i) => ({
      kind: i.kind,
      keyword: i.keyword,
      range: shiftRange(i.range, lines),
      nextWord: i.nextWord && shiftToken(i.nextWord, lines),
      argumentCount: i.argumentCount,
    })),
    args: s.args.map((a) => shiftArg(a, lines)),
    envs: s.envs.map((e) => ({ name: e.name, nameRange: shiftRange(e.nameRange, lines), value: e.value, range: shiftRange(e.range, lines) })),
    range: shiftRange(s.range, lines),
    trailingComment: s.trailingComment && shiftToken(s.trailingComment, lines),
  };
}

export function shiftPreamble(p: PreambleSyntax, lines: number): PreambleSyntax {
  if (lines === 0) return p;
  return {
    instructions: p.instructions.map((i) => shiftInstruction(i, lines)),
    args: p.args.map((a) => shiftArg(a, lines)),
    trailingComment: p.trailingComment && shiftToken(p.trailingComment, lines),
  };
}
