/**
 * What BuildKit's lint checks read off an instruction's own text, beyond what the stage model
 * keeps: the arguments of CMD / ENTRYPOINT and whether they are JSON (exec) form, the key/value
 * pairs of ENV and LABEL and whether one is written the legacy way (`ENV key value`), the words of
 * EXPOSE, the sources of COPY and ADD, the path of WORKDIR, the value of MAINTAINER, the
 * `--platform` flag of FROM, the description comment above an ARG (and, kept on the stage or
 * preamble before it, above a FROM), and the blank lines inside a continuation.
 *
 * Read the way BuildKit's parser reads them (frontend/dockerfile/parser: parser.go Parse,
 * line_parsers.go parseMaybeJSON, parseMaybeJSONToList, parseNameVal, parseWords,
 * parseStringsWhitespaceDelimited, parseString; split_command.go splitCommand), on the logical
 * line of flagReader.ts, so every range maps back to the characters written in the file. Only
 * the instructions a check reads get facts, and only those facts: a RUN on one line gets none.
 *
 * No dockerfile-ast and no LSP here: lines in, plain records out.
 */
import { InstructionFlag, LogicalLine, SplitInstruction, plainArguments, splitInstruction, trimContinuation, wholeWord } from './flagReader';
import { Position, Range, shiftRange } from './positions';
import type { Token } from './syntax';

/** A key of ENV or LABEL, and for the legacy form `KEY value` the blanks after it and the value. */
export interface KeyValueFact {
  /** The key as written (quotes and escapes kept). */
  key: Token;
  /** Set for the legacy form (parseNameVal: the first word has no `=`), which has one pair. */
  legacy: { separator: Range; value: Token } | undefined;
}

export interface InstructionFacts {
  /**
   * CMD, ENTRYPOINT, WORKDIR, MAINTAINER, RUN: the arguments after the flags, as the parser hands them
   * on (continuations joined, blanks around them trimmed); undefined when there are none.
   */
  args?: Token;
  /** RUN: here-document bodies, joined with line breaks (the script a `RUN <<EOF` runs), cut at SCRIPT_LENGTH. */
  script?: string;
  /** CMD, ENTRYPOINT: written as a JSON array (exec form); false for the shell form. */
  json?: boolean;
  /** ENV, LABEL: the keys, in order; empty when the parser rejects the arguments. */
  pairs?: KeyValueFact[];
  /** EXPOSE: the words after the flags. COPY, ADD: the sources (not here-documents, not the destination). */
  words?: Token[];
  /** COPY, ADD: the destination (the last argument; a JSON array's gets the array's range). */
  destination?: Token;
  /** COPY, ADD: a non-empty `--from` (the sources are not the build context's). */
  fromFlag?: boolean;
  /**
   * FROM: the `--platform` flag, its value as the flag parser reads it (quotes removed), the whole
   * flag as written, and what removing it takes (the flag and the blanks after it on its line).
   */
  platform?: { value: string; flag: Range; removal: Range };
  /** ARG: the comment BuildKit takes for its description (the last one since the previous instruction). */
  comment?: Token;
  /**
   * Blank lines inside the instruction's continuation (parser.go: "Empty continuation line"), each
   * by its start, and the content of the line where the continuation ends, where BuildKit reports them.
   */
  emptyContinuation?: { lines: Position[]; lastLine: Range };
}

/** The instructions whose arguments a check reads (besides the blank lines of any continued one). */
const WITH_FACTS: ReadonlySet<string> = new Set(['CMD', 'ENTRYPOINT', 'WORKDIR', 'MAINTAINER', 'ENV', 'LABEL', 'EXPOSE', 'COPY', 'ADD', 'FROM', 'ARG', 'RUN']);
/** The longest here-document script kept for a RUN (the advisor reads commands in it). */
const SCRIPT_LENGTH = 16_384;

/**
 * The facts of one instruction of a piece: `range` is the parser's range in `lines` (the piece's
 * lines), `delta` moves positions to the file's lines, and `previousEnd` is the last line (in
 * `lines`) before which no comment counts (the previous instruction's last line, or the line
 * before the first line that may hold comments). `read` is the instruction's logical line and
 * split when the caller has them already.
 */
export function readInstructionFacts(
  keyword: string,
  lines: readonly string[],
  range: Range,
  escape: string,
  delta: number,
  previousEnd: number,
  read?: { line: LogicalLine; split: SplitInstruction },
): InstructionFacts | undefined {
  const continued = range.start.line !== range.end.line;
  if (!continued && !WITH_FACTS.has(keyword)) return undefined;
  let facts: InstructionFacts | undefined;
  if (continued) {
    const empty = emptyContinuation(lines, range, escape, delta);
    if (empty) (facts ??= {}).emptyContinuation = empty;
  }
  if (!WITH_FACTS.has(keyword)) return facts;
  // A FROM's facts are its flags, which are written first.
  if (keyword === 'FROM' && !continued && !(lines[range.start.line] ?? '').includes('--')) return facts;
  if (keyword === 'ARG') {
    const comment = descriptionComment(lines, previousEnd + 1, range.start.line - 1, delta);
    if (comment) (facts ??= {}).comment = comment;
    return facts;
  }
  const line = read?.line ?? LogicalLine.read(lines, range.start, range.end.line, escape, delta);
  const split = read?.split ?? splitInstruction(line);
  const text = line.text;
  let end = text.length;
  while (end > split.argsStart && isUnicodeSpace(text.charCodeAt(end - 1))) end--;
  const args = split.argsStart < end ? { text: text.slice(split.argsStart, end), range: line.rangeOf(split.argsStart, end) } : undefined;
  facts ??= {};
  switch (keyword) {
    case 'CMD':
    case 'ENTRYPOINT':
      if (args) facts.args = args;
      facts.json = args !== undefined && jsonForm(args.text) !== 'shell';
      break;
    case 'WORKDIR':
    case 'MAINTAINER':
      if (args) facts.args = args;
      break;
    case 'ENV':
    case 'LABEL':
      facts.pairs = keyValuePairs(line, split.argsStart, end, escape);
      break;
    case 'EXPOSE':
      facts.words = plainArguments(line, split.argsStart);
      break;
    case 'RUN': {
      if (args) facts.args = args;
      // The lines after the logical line, up to the instruction's end, are its here-documents.
      const bodyStart = line.lastLine - delta + 1;
      if (bodyStart <= range.end.line && args?.text.includes('<<')) facts.script = lines.slice(bodyStart, range.end.line + 1).join('\n').slice(0, SCRIPT_LENGTH);
      break;
    }
    case 'COPY':
    case 'ADD': {
      const all = copyArguments(line, split.argsStart, args);
      facts.words = copySources(all);
      if (all.length > 1) facts.destination = all[all.length - 1];
      facts.fromFlag = split.flags.some((f) => f.name === 'from' && f.value !== null && f.value !== '');
      break;
    }
    case 'FROM': {
      const platform = split.flags.find((f) => f.name === 'platform');
      if (platform && platform.value !== null) facts.platform = platformFlag(line, platform);
      break;
    }
  }
  return facts;
}

/**
 * Whether a text is a JSON array as parseJSON reads it (json.Decoder: the first value, after
 * which anything may follow): of strings (`json`), of something else (`invalid`: the build
 * fails), or no JSON array at all (`shell`).
 */
export function jsonForm(text: string): 'json' | 'invalid' | 'shell' {
  const value = firstJsonArray(text);
  if (value === undefined) return 'shell';
  return value.every((v) => typeof v === 'string') ? 'json' : 'invalid';
}

/** The JSON array at the start of `text` (after blanks), or undefined. */
export function firstJsonArray(text: string): unknown[] | undefined {
  let i = 0;
  while (i < text.length && isUnicodeSpace(text.charCodeAt(i))) i++;
  if (text[i] !== '[') return undefined;
  let depth = 0;
  let inString = false;
  for (let j = i; j < text.length; j++) {
    const c = text[j];
    if (inString) {
      if (c === '\\') j++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '[' || c === '{') depth++;
    else if (c === ']' || c === '}') {
      if (--depth > 0) continue;
      try {
        const value: unknown = JSON.parse(text.slice(i, j + 1));
        return Array.isArray(value) ? value : undefined;
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * ENV and LABEL as parseNameVal reads them: the words of parseWords (quotes and escapes kept,
 * split at Unicode blanks outside quotes); when the first word has no `=`, the legacy form
 * `KEY value` (the key up to the first `[\t\v\f\r ]`, the value the rest of the line); otherwise
 * every word is `key=value` (a word without `=` is an error: no pairs then).
 */
function keyValuePairs(line: LogicalLine, from: number, end: number, escape: string): KeyValueFact[] {
  const words = parseWords(line.text, from, end, escape);
  if (words.length === 0) return [];
  const t = line.text;
  if (!words[0].text.includes('=')) {
    let keyEnd = from;
    while (keyEnd < end && !isTokenBlank(t.charCodeAt(keyEnd))) keyEnd++;
    let valueStart = keyEnd;
    while (valueStart < end && isTokenBlank(t.charCodeAt(valueStart))) valueStart++;
    // "ENV must have two arguments"
    if (valueStart >= end) return [];
    return [{
      key: { text: t.slice(from, keyEnd), range: line.rangeOf(from, keyEnd) },
      legacy: { separator: line.rangeOf(keyEnd, valueStart), value: { text: t.slice(valueStart, end), range: line.rangeOf(valueStart, end) } },
    }];
  }
  const pairs: KeyValueFact[] = [];
  for (const w of words) {
    const eq = w.text.indexOf('=');
    if (eq === -1) return [];
    // A word's characters are the written ones (parseWords keeps quotes and escapes).
    pairs.push({ key: { text: w.text.slice(0, eq), range: line.rangeOf(w.start, w.start + eq) }, legacy: undefined });
  }
  return pairs;
}

interface RawWord {
  text: string;
  start: number;
  end: number;
}

/**
 * parseWords (line_parsers.go): words split at Unicode blanks outside quotes; quotes and the
 * escape character stay in the word (removed later, when the word is expanded); an escape
 * character at the very end is dropped.
 */
function parseWords(t: string, from: number, end: number, escape: string): RawWord[] {
  const words: RawWord[] = [];
  const IN_SPACES = 0;
  const IN_WORD = 1;
  const IN_QUOTE = 2;
  let phase = IN_SPACES;
  let word = '';
  let start = from;
  let quote = '';
  let blankOk = false;
  let pos = from;
  const charAt = (p: number) => String.fromCodePoint(t.codePointAt(p)!);
  for (;;) {
    if (phase === IN_SPACES) {
      if (pos >= end) break;
      if (isUnicodeSpace(t.charCodeAt(pos))) {
        pos++;
        continue;
      }
      phase = IN_WORD;
      start = pos;
    }
    if (pos >= end) {
      if (blankOk || word.length > 0) words.push({ text: word, start, end: pos });
      break;
    }
    const ch = charAt(pos);
    if (phase === IN_WORD) {
      if (isUnicodeSpace(t.charCodeAt(pos))) {
        phase = IN_SPACES;
        if (blankOk || word.length > 0) words.push({ text: word, start, end: pos });
        word = '';
        blankOk = false;
        pos += ch.length;
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = ch;
        blankOk = true;
        phase = IN_QUOTE;
      }
    } else if (ch === quote) {
      phase = IN_WORD;
    }
    if (ch === escape && (phase === IN_WORD || quote !== "'")) {
      if (pos + ch.length >= end) {
        // An escape character at the end is skipped (and ends a quote).
        if (phase === IN_QUOTE) phase = IN_WORD;
        pos += ch.length;
        continue;
      }
      word += ch;
      pos += ch.length;
      const next = charAt(pos);
      word += next;
      pos += next.length;
      continue;
    }
    word += ch;
    pos += ch.length;
  }
  return words;
}

/** BuildKit's here-document word (parser.go reHeredoc), with a name after `<<`. */
const HEREDOC = /^(\d*)<<(-?)([^<]*)$/;

/**
 * The arguments of COPY and ADD (parseMaybeJSONToList): a JSON array's strings, which get the
 * array's range, or the plain words.
 */
function copyArguments(line: LogicalLine, from: number, args: Token | undefined): Token[] {
  if (!args) return [];
  const json = firstJsonArray(args.text);
  return json
    ? json.every((v) => typeof v === 'string')
      ? (json as string[]).map((s) => ({ text: s, range: args.range }))
      : []
    : plainArguments(line, from);
}

/** The sources (parseSourcesAndDest): every argument but the last, here-documents left out. */
function copySources(words: readonly Token[]): Token[] {
  return words.slice(0, -1).filter((w) => {
    const m = HEREDOC.exec(w.text);
    return !(m && m[3].length > 0);
  });
}

function platformFlag(line: LogicalLine, flag: InstructionFlag): { value: string; flag: Range; removal: Range } {
  const range = wholeWord(line, flag.word);
  let after = flag.word.end;
  const t = line.text;
  while (after < t.length && isTokenBlank(t.charCodeAt(after))) after++;
  let removal = line.rangeOf(flag.word.start, after);
  // Blanks up to the next word on the same line go with the flag; over a continuation only the flag does.
  if (removal.end.line !== range.end.line) removal = range;
  return { value: flag.value!, flag: range, removal };
}

/**
 * The blank lines of a continued instruction (parser.go Parse: a line after a continuation that
 * holds only blanks is skipped, with a warning), and the content of the line the continuation
 * ends on. Comment lines are skipped too, without a warning.
 */
function emptyContinuation(lines: readonly string[], range: Range, escape: string, delta: number): InstructionFacts['emptyContinuation'] {
  let line = range.start.line;
  let raw = (lines[line] ?? '').slice(range.start.character);
  let empty: Position[] | undefined;
  while (trimContinuation(raw, escape).continues) {
    let next = line + 1;
    for (; next <= range.end.line; next++) {
      const t = lines[next] ?? '';
      let i = 0;
      while (i < t.length && isUnicodeSpace(t.charCodeAt(i))) i++;
      if (i === t.length) (empty ??= []).push({ line: next + delta, character: 0 });
      else if (t[i] !== '#') break;
    }
    if (next > range.end.line) break;
    line = next;
    raw = lines[line] ?? '';
  }
  if (!empty) return undefined;
  const t = lines[line] ?? '';
  let a = line === range.start.line ? range.start.character : 0;
  while (a < t.length && isUnicodeSpace(t.charCodeAt(a))) a++;
  let b = t.length;
  while (b > a && isUnicodeSpace(t.charCodeAt(b - 1))) b--;
  return { lines: empty, lastLine: { start: { line: line + delta, character: a }, end: { line: line + delta, character: b } } };
}

/**
 * The comment BuildKit gives the next instruction as its description (parser.go Parse keeps the
 * comment lines since the previous instruction; a `#` alone forgets them; blank lines do not;
 * validateDefinitionDescription reads the last one): the last comment of lines `from..to` of
 * the piece, or undefined. Its text is what BuildKit takes: the line after its first character,
 * trimmed.
 */
export function descriptionComment(lines: readonly string[], from: number, to: number, delta: number): Token | undefined {
  let last: Token | undefined;
  for (let l = Math.max(0, from); l <= to; l++) {
    let t = lines[l] ?? '';
    // The file's byte-order mark is no part of the first line (parser.go discardBOM).
    const bom = l + delta === 0 && t.charCodeAt(0) === 0xfeff ? 1 : 0;
    if (bom) t = t.slice(1);
    let i = 0;
    while (i < t.length && isUnicodeSpace(t.charCodeAt(i))) i++;
    if (t[i] !== '#') continue;
    const text = t.slice(1).trim();
    if (text === '') {
      last = undefined;
      continue;
    }
    let e = t.length;
    while (e > i && isUnicodeSpace(t.charCodeAt(e - 1))) e--;
    last = { text, range: { start: { line: l + delta, character: i + bom }, end: { line: l + delta, character: e + bom } } };
  }
  return last;
}

/** BuildKit's parser directive line (parser.go reDirectives) with a key it knows. */
const DIRECTIVE = /^#[ \t\f\r]*([a-zA-Z][a-zA-Z0-9]*)[ \t\f\r]*=[ \t\f\r]*(.+?)[ \t\f\r]*$/;
const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

/**
 * How many lines from `start` are parser directives (they are no comments: parser.go Parse drops
 * them from the description comments); only the file's first lines can be.
 */
export function directiveLineCount(lines: readonly string[], start: number): number {
  let n = 0;
  for (let l = start; l < lines.length; l++) {
    let t = lines[l] ?? '';
    if (l === start && t.charCodeAt(0) === 0xfeff) t = t.slice(1);
    let i = 0;
    while (i < t.length && isUnicodeSpace(t.charCodeAt(i))) i++;
    const m = DIRECTIVE.exec(t.slice(i));
    if (!m || !KNOWN_DIRECTIVES.has(m[1].toLowerCase())) break;
    n++;
  }
  return n;
}

/** Go's unicode.IsSpace for a UTF-16 code unit. */
export function isUnicodeSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  return c === 0x85 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

/** The separators of parseStringsWhitespaceDelimited and of the legacy key/value split: `[\t\v\f\r ]`. */
function isTokenBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

function shiftToken(t: Token, lines: number): Token {
  return { text: t.text, range: shiftRange(t.range, lines) };
}

/** The facts moved by `lines` lines (a piece parsed once and found again further down). */
export function shiftFacts(f: InstructionFacts, lines: number): InstructionFacts {
  if (lines === 0) return f;
  const out: InstructionFacts = {};
  if (f.args) out.args = shiftToken(f.args, lines);
  if (f.json !== undefined) out.json = f.json;
  if (f.pairs) {
    out.pairs = f.pairs.map((p) => ({
      key: shiftToken(p.key, lines),
      legacy: p.legacy && { separator: shiftRange(p.legacy.separator, lines), value: shiftToken(p.legacy.value, lines) },
    }));
  }
  if (f.words) out.words = f.words.map((w) => shiftToken(w, lines));
  if (f.script !== undefined) out.script = f.script;
  if (f.destination) out.destination = shiftToken(f.destination, lines);
  if (f.fromFlag !== undefined) out.fromFlag = f.fromFlag;
  if (f.platform) out.platform = { value: f.platform.value, flag: shiftRange(f.platform.flag, lines), removal: shiftRange(f.platform.removal, lines) };
  if (f.comment) out.comment = shiftToken(f.comment, lines);
  if (f.emptyContinuation) {
    out.emptyContinuation = { lines: f.emptyContinuation.lines.map((p) => ({ line: p.line + lines, character: p.character })), lastLine: shiftRange(f.emptyContinuation.lastLine, lines) };
  }
  return out;
}
