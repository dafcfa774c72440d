/**
 * Reads one piece of Dockerfile text with dockerfile-ast and keeps only the plain facts of
 * syntax.ts. Positions come out relative to the piece's first line.
 */
import { DockerfileParser, From, Copy, Run, Arg, Env, Instruction } from 'dockerfile-ast';
import './argumentMemo';
import { buildkitDirectives } from './directives';
import { InstructionFlag, LogicalLine, SplitInstruction, mountFields, plainArguments, splitInstruction, wholeWord, wordToken } from './flagReader';
import { isDigit, isNameChar } from './fromVariables';
import { descriptionComment, directiveLineCount, readInstructionFacts } from './instructionFacts';
import { Position, Range, shiftRange } from './positions';
import {
  ArgDeclaration,
  Directive,
  EnvDeclaration,
  FromFlagIssue,
  FromSyntax,
  InstructionSyntax,
  PreambleSyntax,
  StageRefSyntax,
  StageSyntax,
  Token,
  VariableUse,
} from './syntax';

export interface ParsedPiece {
  /** Instructions before the piece's first FROM (only the first piece should have any). */
  preamble: PreambleSyntax;
  stages: StageSyntax[];
  directives: Directive[];
  escapeChar: string;
  /**
   * Whether the parser was back in its initial state at the end of the piece (no open line
   * continuation or here-document), so the next piece can be parsed on its own.
   */
  endsClean: boolean;
}

const SENTINEL = 'FROM dockerfile-stages-sentinel';

/**
 * Parses `text`. `escapeChar` is the file's escape character when the piece is not at the
 * start of the file (dockerfile-ast only honours `# escape=` on the piece's own first lines).
 * With `checkEnd`, a sentinel FROM line is appended to learn whether the piece ends clean.
 */
export function parsePiece(text: string, escapeChar: string | undefined, checkEnd: boolean, lineOffset = 0): ParsedPiece {
  const piece = parseWithEscape(text, escapeChar, checkEnd, lineOffset, false);
  if (escapeChar !== undefined) return piece;
  // The start of the file: the escape character is BuildKit's, which dockerfile-ast does not
  // always agree with (it reads `# escape=` past a directive BuildKit does not know).
  const escape = buildkitEscape(piece.directives);
  // (The first parse defused doubled backslashes; a backtick file needs its doubled backticks defused.)
  if (escape === piece.escapeChar && (escape === '\\' || !text.includes('``'))) return piece;
  const again = parseWithEscape(text, escape, checkEnd, lineOffset, true);
  again.directives = piece.directives;
  return again;
}

/** The escape character BuildKit parses the file with: its first `# escape=`, else a backslash. */
function buildkitEscape(directives: readonly Directive[]): string {
  const escape = buildkitDirectives(directives).find((d) => d.name === 'escape');
  return escape?.value === '`' ? '`' : '\\';
}

/** Parses with `# escape=` written above the text when needed (always with `forcePrefix`). */
function parseWithEscape(text: string, escapeChar: string | undefined, checkEnd: boolean, lineOffset: number, forcePrefix: boolean): ParsedPiece {
  let prefixLines = 0;
  let source = text;
  if (escapeChar !== undefined && (escapeChar !== '\\' || forcePrefix)) {
    source = `# escape=${escapeChar}\n` + source;
    prefixLines = 1;
  }
  let sentinelLine = -1;
  if (checkEnd) {
    if (!source.endsWith('\n')) source += '\n';
    sentinelLine = countLines(source) - 1;
    source += SENTINEL + '\n';
  }
  // dockerfile-ast parses a defused copy; everything read from the text reads the text itself.
  const dockerfile = DockerfileParser.parse(defuseEscapedEscapes(defuseLongLines(source), escapeChar ?? '\\'));
  const lines = source.split(LINE_BREAK);
  let instructions = dockerfile.getInstructions();
  let endsClean = true;
  if (checkEnd) {
    const last = instructions[instructions.length - 1];
    endsClean = last !== undefined && last.getKeyword() === 'FROM' && last.getRange().start.line === sentinelLine;
    if (endsClean) instructions = instructions.slice(0, -1);
  }
  const piece: ParsedPiece = {
    preamble: { instructions: [], args: [] },
    stages: [],
    directives: [],
    escapeChar: dockerfile.getEscapeCharacter(),
    endsClean,
  };
  if (prefixLines === 0) {
    for (const d of dockerfile.getDirectives()) {
      piece.directives.push({ name: d.getName().toLowerCase(), value: d.getValue(), range: d.getRange() });
    }
  }
  const escape = piece.escapeChar;
  // Positions come out moved to where the piece starts in the file (past the escape prefix).
  const delta = lineOffset - prefixLines;
  let current: StageSyntax | undefined;
  // The last line before which no comment is a description (instructionFacts.ts): the previous
  // instruction's, or the line before the first one past the escape prefix and the directives.
  let previousEnd = prefixLines - 1 + (lineOffset === 0 ? directiveLineCount(lines, prefixLines) : 0);
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    // Ask only for what this instruction can hold, judged from its text (this keeps a
    // 20,000-line parse near the parser's own cost).
    const range = ins.getRange();
    const text = instructionText(lines, range);
    if (keyword === 'FROM') {
      (current ?? piece.preamble).trailingComment = descriptionComment(lines, previousEnd + 1, range.start.line - 1, delta);
      current = {
        from: readFrom(ins as From, lines, escape, delta),
        instructions: [],
        refs: [],
        fromFlagIssues: [],
        args: [],
        envs: [],
        range: shift(ins.getRange(), delta),
      };
      piece.stages.push(current);
    }
    // The flags as BuildKit reads them, read once for the instruction's facts and its references.
    const flags = mayHaveFlags(keyword, text, range.start, escape) ? readFlags(lines, range, escape, delta) : undefined;
    const syntax = readInstruction(ins, keyword, text, lines, escape, delta, flags, previousEnd);
    previousEnd = range.end.line;
    if (current) {
      current.instructions.push(syntax);
      current.range = { start: current.range.start, end: syntax.range.end };
      if (flags) readRefs(flags, keyword, shift(range, delta), current.refs, current.fromFlagIssues);
      if (keyword === 'ARG') readArgs(ins as Arg, delta, current.args);
      if (keyword === 'ENV') readEnvs(ins as Env, delta, current.envs);
    } else {
      piece.preamble.instructions.push(syntax);
      if (keyword === 'ARG') readArgs(ins as Arg, delta, piece.preamble.args);
    }
  }
  (current ?? piece.preamble).trailingComment = descriptionComment(lines, previousEnd + 1, (checkEnd ? sentinelLine : lines.length) - 1, delta);
  return piece;
}

/** Lines longer than this have their middle looked at by defuseLongLines. */
const LONG_LINE = 16_384;
const LONG_LINE_PATTERN = new RegExp(`[^\\r\\n]{${LONG_LINE},}`, 'g');
const KEEP = 4_096;

/**
 * dockerfile-ast splits arguments with string concatenation, which on a megabyte-long line of
 * words (an inlined blob) takes seconds of garbage collection. Where the middle of such a line
 * holds nothing that can matter here (no quote, escape, variable, heredoc or `from`), it is
 * blanked to spaces: same length, so every position stays, and the parse stays the same in
 * structure while skipping the work.
 */
function defuseLongLines(source: string): string {
  if (source.length < LONG_LINE) return source;
  return source.replace(LONG_LINE_PATTERN, (line) => {
    const middle = line.slice(KEEP, line.length - KEEP);
    if (/["'$\\`<]|from/i.test(middle)) return line;
    return line.slice(0, KEEP) + ' '.repeat(middle.length) + line.slice(line.length - KEEP);
  });
}

/**
 * BuildKit does not continue a line that ends with the escape character written twice (parser.go
 * setEscapeToken: `([^E])E[ \t]*$`, the escape must not follow another), where dockerfile-ast
 * does, and would then swallow the next instruction, a FROM included. For dockerfile-ast only,
 * the last escape character of such a line becomes a plain character: same length, so every
 * position stays.
 */
function defuseEscapedEscapes(source: string, escape: string): string {
  const e = escape === '`' ? '`' : '\\\\';
  return source.includes(escape + escape) ? source.replace(new RegExp(`${e}${e}([ \\t]*)(?=\\r?\\n|\\r|$)`, 'g'), `${escape}_$1`) : source;
}

/** Lines end at \n, \r\n or a lone \r, as dockerfile-ast counts them. */
const LINE_BREAK = /\r\n|\r|\n/;

function countLines(s: string): number {
  return s.split(LINE_BREAK).length;
}

/** The lines an instruction spans, joined with \n (heredoc bodies included). */
function instructionText(lines: readonly string[], r: Range): string {
  if (r.start.line === r.end.line) return lines[r.start.line] ?? '';
  return lines.slice(r.start.line, r.end.line + 1).join('\n');
}

/** A copy of a range of dockerfile-ast's, moved by `delta` lines. */
function shift(r: Range, delta: number): Range {
  return delta === 0 ? plainRange(r) : shiftRange(r, delta);
}

/** Copies a range into a plain object (dockerfile-ast's ranges are shared with its own model). */
function plainRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}

/**
 * dockerfile-ast's getHeredocs throws on some malformed heredoc openers (`COPY <<-"EOT"" /x`
 * then a line break): a document being typed must not break the analysis, so no heredocs then.
 */
function heredocsOf(ins: Copy | Run): ReturnType<Copy['getHeredocs']> {
  try {
    return ins.getHeredocs();
  } catch {
    return [];
  }
}

/** The list of an instruction with none (most of them): one frozen array, not one each. */
const NONE: never[] = Object.freeze([]) as unknown as never[];

function readInstruction(ins: Instruction, keyword: string, text: string, lines: readonly string[], escape: string, delta: number, flags: ReadFlags | undefined, previousEnd: number): InstructionSyntax {
  const heredocs: Range[] = [];
  if ((keyword === 'COPY' || keyword === 'RUN') && text.includes('<<')) {
    for (const h of heredocsOf(ins as Copy | Run)) {
      const end = h.getDelimiterRange() ?? h.getContentRange() ?? h.getNameRange();
      heredocs.push({ start: h.getStartRange().start, end: end.end });
    }
  }
  const keywordRange = ins.getInstructionRange();
  const range = ins.getRange();
  const variables = text.includes('$') && keyword !== 'FROM' ? scanVariables(lines, range, escape, delta) : NONE;
  return {
    keyword,
    keywordText: ins.getInstruction(),
    keywordRange: shift(keywordRange, delta),
    range: shift(range, delta),
    heredocs: heredocs.length > 0 ? heredocs.map((h) => shift(h, delta)) : NONE,
    summary: instructionSummary(lines, keywordRange, range, heredocs, escape),
    variables,
    assigns: keyword === 'ENV' ? (ins as Env).getProperties().map((p) => p.getName()) : NONE,
    runFlags: keyword === 'RUN' && flags && flags.split.flags.length > 0 ? flags.split.flags.map((f) => ({ text: f.word.chars, range: wholeWord(flags.line, f.word) })) : NONE,
    facts: readInstructionFacts(keyword, lines, range, escape, delta, previousEnd, flags),
  };
}

/** An instruction's logical line and its command word and flags (flagReader.ts). */
interface ReadFlags {
  line: LogicalLine;
  split: SplitInstruction;
}

function readFlags(lines: readonly string[], range: Range, escape: string, delta: number): ReadFlags {
  const line = LogicalLine.read(lines, range.start, range.end.line, escape, delta);
  return { line, split: splitInstruction(line) };
}

/**
 * `$NAME` and `${NAME…}` uses in an instruction's lines, read from the text (dockerfile-ast's
 * getVariables resolves values as it goes and can recurse without end on `ENV PATH=$PATH`).
 * An escaped `$` and anything inside single quotes are literal, as in BuildKit's lexer.
 */
function scanVariables(lines: readonly string[], range: Range, escape: string, delta: number, out: VariableUse[] = []): VariableUse[] {
  for (let line = range.start.line; line <= range.end.line; line++) {
    const t = lines[line] ?? '';
    const end = line === range.end.line ? Math.min(t.length, range.end.character) : t.length;
    let inSingle = false;
    let inDouble = false;
    for (let i = line === range.start.line ? range.start.character : 0; i < end; i++) {
      const c = t[i];
      if (c === escape && !inSingle) {
        i++;
        continue;
      }
      if (c === "'" && !inDouble) inSingle = !inSingle;
      else if (c === '"' && !inSingle) inDouble = !inDouble;
      if (c !== '$' || inSingle) continue;
      const braced = t[i + 1] === '{';
      const start = braced ? i + 2 : i + 1;
      let j = start;
      while (j < end && isNameChar(t.charCodeAt(j))) j++;
      if (j > start && !isDigit(t.charCodeAt(start))) {
        out.push({ name: t.slice(start, j), range: { start: { line: line + delta, character: start }, end: { line: line + delta, character: j } } });
      }
      i = j - 1;
    }
  }
  return out;
}

/** Longest instruction summary kept (the keyword not counted). */
const SUMMARY_LENGTH = 40;

/**
 * The instruction's arguments on one line, for the outline: continuation lines joined,
 * comment lines inside the continuation dropped, heredoc bodies left out, blanks collapsed,
 * then cut after a whole word near SUMMARY_LENGTH characters.
 */
function instructionSummary(lines: readonly string[], keyword: Range, range: Range, heredocs: readonly Range[], escape: string): string {
  let last = range.end.line;
  for (const h of heredocs) last = Math.min(last, h.start.line);
  const parts: string[] = [];
  let length = 0;
  for (let line = keyword.end.line; line <= last && length <= SUMMARY_LENGTH * 2; line++) {
    let t = lines[line] ?? '';
    if (line === range.end.line) t = t.slice(0, range.end.character);
    if (line === keyword.end.line) t = t.slice(keyword.end.character);
    else if (/^\s*#/.test(t)) continue;
    if (line < range.end.line) {
      t = t.trimEnd();
      if (t.endsWith(escape)) t = t.slice(0, -escape.length);
    }
    parts.push(t);
    length += t.length;
  }
  const s = parts.join(' ').replace(/\s+/g, ' ').trim();
  if (s.length <= SUMMARY_LENGTH) return s;
  const cut = s.slice(0, SUMMARY_LENGTH - 1);
  const space = cut.lastIndexOf(' ');
  return (space >= SUMMARY_LENGTH - 12 ? cut.slice(0, space) : cut).trimEnd() + '…';
}

function readFrom(from: From, lines: readonly string[], escape: string, delta: number): FromSyntax {
  const range = from.getRange();
  const line = LogicalLine.read(lines, range.start, range.end.line, escape, delta);
  const split = splitInstruction(line);
  const args: Token[] = plainArguments(line, split.argsStart);
  const isAs = args.length >= 2 && args[1].text.toLowerCase() === 'as';
  // BuildKit expands only the base and --platform (dockerfile2llb buildDispatchStates), not the name.
  const variables: VariableUse[] = [];
  if (args[0]) scanVariables(lines, shiftRange(args[0].range, -delta), escape, delta, variables);
  for (const f of split.flags) {
    if (f.name === 'platform' && f.value !== null) {
      scanVariables(lines, shiftRange(wordToken(line, f.word, f.valueStart, f.word.chars.length).range, -delta), escape, delta, variables);
    }
  }
  return {
    keywordText: from.getInstruction(),
    keywordRange: shift(from.getInstructionRange(), delta),
    range: shift(range, delta),
    args,
    base: args[0],
    asKeyword: isAs ? args[1] : undefined,
    name: isAs && args.length >= 3 ? args[2] : undefined,
    variables,
  };
}

/**
 * Whether BuildKit may read flags on this instruction: flags come first, so a COPY, ADD or RUN
 * whose arguments do not start with `-` (or with a continued line) has none. ONBUILD is read
 * whenever it holds a `-`.
 */
function mayHaveFlags(keyword: string, text: string, start: Position, escape: string): boolean {
  if (keyword === 'ONBUILD') return text.includes('-');
  if (keyword !== 'COPY' && keyword !== 'ADD' && keyword !== 'RUN') return false;
  let i = start.character + keyword.length;
  while (i < text.length && (text[i] === ' ' || text[i] === '\t')) i++;
  return text[i] === '-' || text[i] === escape || i >= text.length || text[i] === '\n' || text[i] === '\r';
}

/**
 * The `--from` flags of a COPY that BuildKit's flag parser rejects (bflag.go BFlags.Parse): one
 * with no `=` ("missing a value on flag"), every one after the first ("duplicate flag
 * specified"), and one written in another case (`--FROM`: "unknown flag", names are case-sensitive).
 */
function readFromFlagIssues(line: LogicalLine, flags: readonly InstructionFlag[], argsStart: number, keyword: string, out: FromFlagIssue[]): void {
  let seen = false;
  let args: Token[] | undefined;
  const argsOf = () => (args ??= plainArguments(line, argsStart));
  flags.forEach((f, i) => {
    if (f.name !== 'from') {
      if (f.name.toLowerCase() === 'from') {
        const written = wordToken(line, f.word, 2, f.value === null ? f.word.chars.length : f.valueStart - 1);
        out.push({ kind: 'casing', keyword, range: wholeWord(line, f.word), nextWord: { text: written.text, range: written.range }, argumentCount: argsOf().length });
      }
      return;
    }
    const range = wholeWord(line, f.word);
    if (seen) out.push({ kind: 'duplicate', keyword, range, nextWord: undefined, argumentCount: argsOf().length });
    seen = true;
    if (f.value === null) {
      // The word after the flag, when no other flag stands between them: BuildKit reads it as a source.
      const next = i === flags.length - 1 ? argsOf()[0] : undefined;
      out.push({ kind: 'missing-value', keyword, range, nextWord: next, argumentCount: argsOf().length });
    }
  });
}

/**
 * The stage references of a COPY, ADD, RUN or ONBUILD, read from its flags as BuildKit reads
 * them (flagReader.ts): `--from` of COPY and ADD, `from=` in `--mount` values, and the same in
 * an ONBUILD trigger.
 */
function readRefs(flags: ReadFlags, keyword: string, instructionRange: Range, out: StageRefSyntax[], issues: FromFlagIssue[]): void {
  const line = flags.line;
  let split = flags.split;
  let kind: StageRefSyntax['kind'] = keyword === 'COPY' ? 'copy' : keyword === 'ADD' ? 'add' : 'mount';
  let issueKeyword = keyword;
  if (keyword === 'ONBUILD') {
    // The trigger is read as an instruction of its own (parser.go parseSubCommand).
    split = splitInstruction(line, split.argsStart);
    const trigger = split.keyword.toUpperCase();
    if (trigger !== 'COPY' && trigger !== 'RUN') return;
    kind = 'onbuild';
    keyword = trigger;
    issueKeyword = 'ONBUILD';
  }
  if (keyword === 'COPY' || keyword === 'ADD') {
    for (const f of split.flags) {
      if (f.name !== 'from' || f.value === null) continue;
      const token = wordToken(line, f.word, f.valueStart, f.word.chars.length);
      out.push({ kind, value: f.value, range: token.range, quoteSuffix: token.quoteSuffix, flagRange: wholeWord(line, f.word), lineParts: token.lineParts, instructionRange });
    }
    // ADD has no --from at all (AddFromFlag says so); only COPY's are checked further.
    if (keyword === 'COPY') readFromFlagIssues(line, split.flags, split.argsStart, issueKeyword, issues);
    return;
  }
  for (const f of split.flags) {
    if (f.name !== 'mount') continue;
    const fields = mountFields(f);
    if (!fields) continue;
    // A later from= replaces an earlier one in the same mount (parseMount assigns m.From).
    let last: (typeof fields)[number] | undefined;
    for (const field of fields) if (field.key === 'from' && field.value !== null) last = field;
    if (!last) continue;
    const token = wordToken(line, f.word, last.valueStart, last.valueEnd);
    out.push({
      kind,
      value: last.value!,
      range: token.range,
      quoteSuffix: token.quoteSuffix,
      flagRange: wordToken(line, f.word, last.start, last.end).range,
      lineParts: token.lineParts,
      instructionRange,
    });
  }
}

/** The names an ENV sets, with where each is written. */
function readEnvs(env: Env, delta: number, out: EnvDeclaration[]): void {
  for (const p of env.getProperties()) {
    out.push({ name: p.getName(), nameRange: shift(p.getNameRange(), delta), value: p.getValue() ?? '', range: shift(p.getRange(), delta) });
  }
}

/**
 * ARG declares one name per argument (`ARG A B=2` declares A and B; BuildKit has no legacy
 * `ARG key value` form, unlike ENV). dockerfile-ast reads two bare words as key and value, so
 * that case is read from the arguments instead.
 */
function readArgs(arg: Arg, delta: number, out: ArgDeclaration[]): void {
  const args = arg.getArguments();
  if (args.length > 1 && !args[0].getValue().includes('=')) {
    for (const a of args) {
      const value = a.getValue();
      const eq = value.indexOf('=');
      const name = eq === -1 ? value : value.slice(0, eq);
      const r = a.getRange();
      out.push({
        name,
        nameRange: shift({ start: r.start, end: { line: r.start.line, character: r.start.character + name.length } }, delta),
        defaultValue: eq === -1 ? undefined : unquote(value.slice(eq + 1)),
        range: shift(r, delta),
      });
    }
    return;
  }
  // A single property is the one dockerfile-ast's Arg made while parsing (getProperties would
  // split the arguments and make it again); it has one exactly when getProperties has one.
  const single = arg.getProperty();
  for (const p of single ? [single] : arg.getProperties()) {
    const value = p.getValue();
    out.push({
      name: p.getName(),
      nameRange: shift(p.getNameRange(), delta),
      defaultValue: value === null ? undefined : value,
      range: shift(p.getRange(), delta),
    });
  }
}

function unquote(v: string): string {
  return v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0] ? v.slice(1, -1) : v;
}
