/**
 * Reads one piece of Dockerfile text with dockerfile-ast and keeps only the plain facts of
 * syntax.ts. Positions come out relative to the piece's first line.
 */
import { DockerfileParser, From, Copy, Run, Onbuild, Arg, Env, Instruction, Flag } from 'dockerfile-ast';
import './argumentMemo';
import { readBuilderFlags } from './builderFlags';
import { buildkitDirectives } from './directives';
import { isDigit, isNameChar } from './fromVariables';
import { Position, Range, rangeContains, shiftRange } from './positions';
import {
  ArgDeclaration,
  Directive,
  FlagSyntax,
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
  if (escape === piece.escapeChar) return piece;
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
  source = defuseLongLines(source);
  const dockerfile = DockerfileParser.parse(source);
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
  for (const ins of instructions) {
    const keyword = ins.getKeyword();
    // Ask only for what this instruction can hold, judged from its text (this keeps a
    // 20,000-line parse near the parser's own cost).
    const range = ins.getRange();
    const text = instructionText(lines, range);
    if (keyword === 'FROM') {
      current = {
        from: readFrom(ins as From, delta),
        instructions: [],
        refs: [],
        fromFlagIssues: [],
        args: [],
        range: shift(ins.getRange(), delta),
      };
      piece.stages.push(current);
    }
    const syntax = readInstruction(ins, keyword, text, lines, escape, delta);
    if (current) {
      current.instructions.push(syntax);
      current.range = { start: current.range.start, end: syntax.range.end };
      if (/from/i.test(text)) readRefs(ins, keyword, delta, current.refs, current.fromFlagIssues, lines);
      if (keyword === 'ARG') readArgs(ins as Arg, delta, current.args);
    } else {
      piece.preamble.instructions.push(syntax);
      if (keyword === 'ARG') readArgs(ins as Arg, delta, piece.preamble.args);
    }
  }
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

function readInstruction(ins: Instruction, keyword: string, text: string, lines: readonly string[], escape: string, delta: number): InstructionSyntax {
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
    runFlags: keyword === 'RUN' && text.includes('--') ? readRunFlags(lines, keywordRange.end, range.end.line, escape, delta) : NONE,
  };
}

/** A RUN's flags (most RUNs have none: one shared empty list for them). */
function readRunFlags(lines: readonly string[], keywordEnd: Position, lastLine: number, escape: string, delta: number): Token[] {
  const flags = readBuilderFlags(lines, keywordEnd, lastLine, escape);
  if (flags.length === 0) return NONE;
  return delta === 0 ? flags : flags.map((f) => ({ text: f.text, range: shiftRange(f.range, delta) }));
}

/**
 * `$NAME` and `${NAME…}` uses in an instruction's lines, read from the text (dockerfile-ast's
 * getVariables resolves values as it goes and can recurse without end on `ENV PATH=$PATH`).
 * An escaped `$` and anything inside single quotes are literal, as in BuildKit's lexer.
 */
function scanVariables(lines: readonly string[], range: Range, escape: string, delta: number): VariableUse[] {
  const out: VariableUse[] = [];
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

function readFlag(f: Flag, delta: number): FlagSyntax {
  const valueRange = f.getValueRange();
  return {
    name: f.getName(),
    value: f.getValue(),
    range: shift(f.getRange(), delta),
    valueRange: valueRange && shift(valueRange, delta),
  };
}

function readFrom(from: From, delta: number): FromSyntax {
  const args: Token[] = from.getArguments().map((a) => ({ text: a.getValue(), range: shift(a.getRange(), delta) }));
  const isAs = args.length >= 2 && args[1].text.toLowerCase() === 'as';
  const expanded: Range[] = [];
  const baseArg = from.getArguments()[0];
  if (baseArg) expanded.push(baseArg.getRange());
  for (const f of from.getFlags()) if (f.getName() === 'platform' && f.getValueRange()) expanded.push(f.getValueRange()!);
  return {
    keywordText: from.getInstruction(),
    keywordRange: shift(from.getInstructionRange(), delta),
    range: shift(from.getRange(), delta),
    flags: from.getFlags().map((f) => readFlag(f, delta)),
    args,
    base: args[0],
    asKeyword: isAs ? args[1] : undefined,
    name: isAs && args.length >= 3 ? args[2] : undefined,
    // BuildKit expands only the base and --platform (dockerfile2llb buildDispatchStates), not the name.
    variables: from
      .getVariables()
      .filter((v) => expanded.some((r) => rangeContains(r, v.getNameRange().start)))
      .map((v) => ({ name: v.getName(), range: shift(v.getNameRange(), delta) })),
  };
}

/** The text of a one-line range; undefined for a range over several lines. */
function textAt(lines: readonly string[], r: Range): string | undefined {
  if (r.start.line !== r.end.line) return undefined;
  const line = lines[r.start.line];
  return line === undefined ? undefined : line.slice(r.start.character, r.end.character);
}

/**
 * A flag value as BuildKit's parser reads it (parser/split_command.go extractBuilderFlags):
 * quotes removed and a backslash escaping the next character, whatever the escape directive.
 * So `--from="build"` is `--from=build`.
 */
export function flagWord(raw: string): string {
  let out = '';
  let quote = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (quote === '' && (c === "'" || c === '"')) quote = c;
    else if (quote !== '' && c === quote) quote = '';
    else if (c === '\\') {
      if (i + 1 < raw.length) out += raw[++i];
    } else out += c;
  }
  return out;
}

/**
 * The `--from` flags of a COPY that BuildKit's flag parser rejects: one with no `=`, and
 * every one after the first (bflag.go: a string flag needs `=`, and may be given once).
 */
function readFromFlagIssues(ins: Copy, keyword: string, delta: number, out: FromFlagIssue[]): void {
  let seen = false;
  const flags = ins.getFlags();
  const args = ins.getArguments();
  for (const f of flags) {
    if (f.getName() !== 'from') continue;
    const range = shift(f.getRange(), delta);
    // The word after the flag, when nothing but blanks stands between them.
    const adjacent = f === flags[flags.length - 1];
    if (seen) out.push({ kind: 'duplicate', keyword, range, nextWord: undefined, argumentCount: args.length });
    seen = true;
    if (f.getValue() === null) {
      const next = adjacent ? args[0] : undefined;
      out.push({
        kind: 'missing-value',
        keyword,
        range,
        nextWord: next && { text: next.getValue(), range: shift(next.getRange(), delta) },
        argumentCount: args.length,
      });
    }
  }
}

function readRefs(ins: Instruction, keyword: string, delta: number, out: StageRefSyntax[], issues: FromFlagIssue[], lines: readonly string[]): void {
  const instructionRange = shift(ins.getRange(), delta);
  const push = (kind: StageRefSyntax['kind'], value: string | null, valueRange: Range | null) => {
    if (value === null || valueRange === null) return;
    out.push({ kind, value, range: shift(valueRange, delta), instructionRange });
  };
  const flagValue = (f: Flag) => {
    const range = f.getValueRange();
    const raw = range ? textAt(lines, range) : undefined;
    return raw === undefined ? f.getValue() : flagWord(raw);
  };
  if (keyword === 'COPY' || keyword === 'ADD') {
    const kind = keyword === 'COPY' ? 'copy' : 'add';
    for (const f of (ins as Copy).getFlags()) {
      if (f.getName() === 'from') push(kind, flagValue(f), f.getValueRange());
    }
    // ADD has no --from at all (AddFromFlag says so); only COPY's are checked further.
    if (keyword === 'COPY') readFromFlagIssues(ins as Copy, keyword, delta, issues);
  } else if (keyword === 'RUN') {
    for (const f of (ins as Run).getFlags()) {
      if (f.getName() !== 'mount') continue;
      for (const o of f.getOptions()) {
        // BuildKit lower-cases mount option keys (convert_runmount / instructions parseMount).
        if (o.getName().toLowerCase() === 'from') push('mount', o.getValue(), o.getValueRange());
      }
    }
  } else if (keyword === 'ONBUILD') {
    // The trigger runs in the stages built FROM this one; its references are resolved there.
    const trigger = (ins as Onbuild).getTriggerInstruction();
    if (trigger instanceof Copy) {
      for (const f of trigger.getFlags()) {
        if (f.getName() === 'from') push('onbuild', flagValue(f), f.getValueRange());
      }
      readFromFlagIssues(trigger, 'ONBUILD', delta, issues);
    } else if (trigger instanceof Run) {
      for (const f of trigger.getFlags()) {
        if (f.getName() !== 'mount') continue;
        for (const o of f.getOptions()) {
          if (o.getName().toLowerCase() === 'from') push('onbuild', o.getValue(), o.getValueRange());
        }
      }
    }
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
  for (const p of arg.getProperties()) {
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
