/**
 * Instruction flags read the way BuildKit reads them, character for character, with a map from
 * every character read back to the characters written in the file:
 *
 * 1. The logical line (frontend/dockerfile/parser/parser.go Parse): the instruction's lines are
 *    joined with nothing between them after the escape character that continues each one is
 *    removed (`([^E])E[ \t]*$`, so an escaped escape at the end does not continue); comment lines
 *    and blank lines inside the continuation are dropped; only the first line loses its leading
 *    blanks. So `fr\` + `om=build` is `from=build`, and an indented continuation keeps its blanks.
 * 2. The command word and the flags (parser/split_command.go splitCommand, extractBuilderFlags):
 *    words that start with `--` until the first that does not, or a bare `--`; inside a word
 *    `'…'` and `"…"` quote and a backslash escapes the next character, whatever the file's escape
 *    character, so `--chown=a\ b` and `--exclude="*.md x"` are one word each.
 * 3. A flag word is `--NAME` or `--NAME=VALUE` (instructions/bflag.go BFlags.Parse); names are
 *    case-sensitive.
 * 4. A `--mount` value is one CSV record (instructions/commands_runmount.go parseMount), each
 *    field `key=value` with the key lower-cased.
 *
 * No dockerfile-ast and no LSP here: lines in, plain records out.
 */
import { Position, Range } from './positions';

/** One stretch of the logical line that is contiguous in the file. */
interface Segment {
  offset: number;
  line: number;
  character: number;
}

/** An instruction's text as BuildKit's parser joins it, and where each character came from. */
export class LogicalLine {
  private constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
    /** The last file line that belongs to the joined text. */
    readonly lastLine: number,
  ) {}

  /**
   * Joins the instruction that starts at `start` (its first non-blank character) and ends no
   * later than `lastLine` (the parser's own end of the instruction, heredoc bodies included).
   * Positions come out moved by `lineDelta` lines.
   */
  static read(lines: readonly string[], start: Position, lastLine: number, escape: string, lineDelta = 0): LogicalLine {
    const segments: Segment[] = [];
    let text = '';
    let line = start.line;
    let raw = (lines[line] ?? '').slice(start.character);
    for (;;) {
      const { content, continues } = trimContinuation(raw, escape);
      segments.push({ offset: text.length, line: line + lineDelta, character: line === start.line ? start.character : 0 });
      text += content;
      if (!continues) break;
      // The next line that is neither a comment nor blank continues the text.
      let next = line + 1;
      while (next <= lastLine && isSkippedContinuationLine(lines[next] ?? '')) next++;
      if (next > lastLine) break;
      line = next;
      raw = lines[line] ?? '';
    }
    return new LogicalLine(text, segments, line + lineDelta);
  }

  /** The file position of the character at `offset` (or of the end, for the text's length). */
  positionAt(offset: number): Position {
    if (offset >= this.text.length && this.text.length > 0) {
      const p = this.positionAt(this.text.length - 1);
      return { line: p.line, character: p.character + 1 };
    }
    const segs = this.segments;
    let lo = 0;
    let hi = segs.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (segs[mid].offset <= offset) lo = mid;
      else hi = mid - 1;
    }
    const s = segs[lo];
    return { line: s.line, character: s.character + offset - s.offset };
  }

  /**
   * The file ranges of the characters [from, to), one for each line they lie on (a token that a
   * continuation splits is written on several lines).
   */
  linePartsOf(from: number, to: number): Range[] {
    const parts: Range[] = [];
    const segs = this.segments;
    for (let i = 0; i < segs.length; i++) {
      const start = Math.max(from, segs[i].offset);
      const end = Math.min(to, i + 1 < segs.length ? segs[i + 1].offset : this.text.length);
      if (start < end) parts.push(this.rangeOf(start, end));
    }
    return parts;
  }

  /** The file range of the characters [from, to): to the end of the last one, not past its line. */
  rangeOf(from: number, to: number): Range {
    if (to <= from) {
      const p = this.positionAt(from);
      return { start: p, end: p };
    }
    const end = this.positionAt(to - 1);
    return { start: this.positionAt(from), end: { line: end.line, character: end.character + 1 } };
  }
}

/** BuildKit's continuation test: the escape character at the end (blanks after it allowed), not escaped itself. */
export function trimContinuation(raw: string, escape: string): { content: string; continues: boolean } {
  // Line ends are gone already; trailing carriage returns go too (trimNewline), then the blanks
  // the continuation pattern allows after the escape character.
  let end = raw.length;
  while (end > 0 && raw[end - 1] === '\r') end--;
  while (end > 0 && (raw[end - 1] === ' ' || raw[end - 1] === '\t')) end--;
  if (end === 0 || raw[end - 1] !== escape) return { content: raw, continues: false };
  if (end >= 2 && raw[end - 2] === escape) return { content: raw, continues: false };
  return { content: raw.slice(0, end - 1), continues: true };
}

/** Comment lines and blank lines inside a continuation are skipped (parser.go isComment, isEmptyContinuationLine). */
function isSkippedContinuationLine(raw: string): boolean {
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i);
    if (isGoSpace(c)) continue;
    return c === 35; /* # */
  }
  return true;
}

/**
 * Go's unicode.IsSpace applied, as BuildKit does, to each byte of the UTF-8 text taken as a
 * character: the ASCII blanks, and any character whose encoding holds a 0x85 or 0xA0 byte
 * (a no-break space, for one) splits words there.
 */
export function isGoSpace(c: number): boolean {
  if (c < 0x80) return c === 32 || (c >= 9 && c <= 13);
  // UTF-8 continuation bytes are 0x80 | six bits; the lead byte is 0xC0 or more. (Characters
  // outside the BMP, written as surrogate pairs, are left out.)
  if (c >= 0xd800 && c <= 0xdfff) return false;
  const low = c & 0x3f;
  const mid = (c >> 6) & 0x3f;
  return low === 0x05 || low === 0x20 || (c >= 0x800 && (mid === 0x05 || mid === 0x20));
}

/** The separators of splitCommand and of FROM's arguments: `[\t\v\f\r ]`. */
function isTokenBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 11 || c === 12 || c === 13;
}

const NO_QUOTE = '';

/** A word as BuildKit read it: its characters, and for each the span of file text it came from. */
export interface ReadWord {
  /** The characters after quote and escape removal. */
  chars: string;
  /** Offsets in the logical line: where each character's text starts (its escape included) … */
  starts: number[];
  /** … and ends. */
  ends: number[];
  /** The quote open while each character was read ('' when none). */
  quotes: string[];
  /** Offsets of the whole written word in the logical line. */
  start: number;
  end: number;
  /** The quote still open at the end of the word (an unterminated quote). */
  finalQuote: string;
}

/** A part of a word as a file range, quotes and escapes included where they belong to it. */
export interface WordToken {
  text: string;
  range: Range;
  /** For a token over several lines, its part on each line; undefined when it is on one. */
  lineParts: Range[] | undefined;
  /**
   * What an edit that replaces `range` with a plain name must write after the name so that the
   * quoting of the rest of the word stays as it was: '' unless a quote opens or closes inside the
   * range while the other end of the quote lies outside it.
   */
  quoteSuffix: string;
}

export interface InstructionFlag {
  /** The flag's name as written, without `--` (case-sensitive, as BuildKit compares it). */
  name: string;
  /** The value after the first `=`; null when there is no `=`. */
  value: string | null;
  word: ReadWord;
  /** Index in `word.chars` where the value starts (after the `=`). */
  valueStart: number;
}

export interface SplitInstruction {
  keyword: string;
  keywordStart: number;
  keywordEnd: number;
  flags: InstructionFlag[];
  /** Where the arguments after the flags start in the logical line. */
  argsStart: number;
}

/**
 * splitCommand from `from` in the line: the command word, then extractBuilderFlags on the rest.
 * ONBUILD's trigger is read by calling this again at the ONBUILD's arguments.
 */
export function splitInstruction(line: LogicalLine, from = 0): SplitInstruction {
  const t = line.text;
  let i = from;
  while (i < t.length && isGoSpace(t.charCodeAt(i))) i++;
  const keywordStart = i;
  while (i < t.length && !isTokenBlank(t.charCodeAt(i))) i++;
  const keywordEnd = i;
  while (i < t.length && isTokenBlank(t.charCodeAt(i))) i++;
  const { words, rest } = extractBuilderFlags(t, i);
  const flags = words.map((word): InstructionFlag => {
    const eq = word.chars.indexOf('=');
    return {
      name: eq === -1 ? word.chars.slice(2) : word.chars.slice(2, eq),
      value: eq === -1 ? null : word.chars.slice(eq + 1),
      word,
      valueStart: eq === -1 ? word.chars.length : eq + 1,
    };
  });
  return { keyword: t.slice(keywordStart, keywordEnd), keywordStart, keywordEnd, flags, argsStart: rest };
}

/** extractBuilderFlags from offset `from`: the flag words, and where the rest of the line starts. */
function extractBuilderFlags(t: string, from: number): { words: ReadWord[]; rest: number } {
  const words: ReadWord[] = [];
  let pos = from;
  const n = t.length;
  for (;;) {
    while (pos < n && isGoSpace(t.charCodeAt(pos))) pos++;
    if (pos >= n) return { words, rest: n };
    if (t[pos] !== '-' || pos + 1 >= n || t[pos + 1] !== '-') return { words, rest: pos };
    const word: ReadWord = { chars: '', starts: [], ends: [], quotes: [], start: pos, end: pos, finalQuote: NO_QUOTE };
    let quote = NO_QUOTE;
    let blankOk = false;
    let chars = '';
    while (pos < n) {
      const c = t[pos];
      if (quote === NO_QUOTE) {
        if (isGoSpace(t.charCodeAt(pos))) break;
        if (c === "'" || c === '"') {
          quote = c;
          blankOk = true;
          pos++;
          continue;
        }
      } else if (c === quote) {
        quote = NO_QUOTE;
        pos++;
        continue;
      }
      const at = pos;
      if (c === '\\') {
        // A backslash at the very end is skipped (and ends a quote).
        if (pos + 1 >= n) {
          pos++;
          quote = NO_QUOTE;
          continue;
        }
        pos++;
      }
      chars += t[pos];
      word.starts.push(at);
      word.ends.push(pos + 1);
      word.quotes.push(quote);
      pos++;
    }
    word.chars = chars;
    word.end = pos;
    word.finalQuote = quote;
    if (chars === '--') return { words, rest: pos };
    if (blankOk || chars.length > 0) words.push(word);
    if (pos >= n) return { words, rest: n };
  }
}

/**
 * The characters [a, b) of a word as a token of the file. Quotes removed just outside them
 * (`"build"` of `--from="build"`) belong to the token when they open and close there; the
 * escapes before its characters always do.
 */
export function wordToken(line: LogicalLine, word: ReadWord, a: number, b: number): WordToken {
  const text = word.chars.slice(a, b);
  if (a >= b) {
    const at = a > 0 ? word.ends[a - 1] : word.start;
    return token(line, text, at, at, '');
  }
  const outerStart = a > 0 ? word.ends[a - 1] : word.start;
  const outerEnd = b < word.chars.length ? word.starts[b] : word.end;
  const before = a > 0 ? word.quotes[a - 1] : NO_QUOTE;
  const after = b < word.chars.length ? word.quotes[b] : word.finalQuote;
  if (before === after) return token(line, text, outerStart, outerEnd, '');
  const first = word.quotes[a];
  const last = word.quotes[b - 1];
  return token(line, text, word.starts[a], word.ends[b - 1], requote(first, last));
}

function token(line: LogicalLine, text: string, from: number, to: number, quoteSuffix: string): WordToken {
  const range = line.rangeOf(from, to);
  const lineParts = range.start.line === range.end.line ? undefined : line.linePartsOf(from, to);
  return { text, range, lineParts, quoteSuffix };
}

/** The quote characters that take a plain word from quoting state `from` to state `to`. */
function requote(from: string, to: string): string {
  if (from === to) return '';
  return from + to;
}

/** The whole written word as a token. */
export function wholeWord(line: LogicalLine, word: ReadWord): Range {
  return line.rangeOf(word.start, word.end);
}

/** A field of a `--mount` value: `key=value`, key lower-cased, both as indices into the flag word. */
export interface MountField {
  key: string;
  value: string | null;
  /** Indices in the flag word's characters: the field, and its value (after `=`). */
  start: number;
  end: number;
  valueStart: number;
  valueEnd: number;
}

/**
 * The mount value as one record of Go's encoding/csv (default settings): fields split at commas,
 * a field that starts with `"` is quoted (`""` is a quote inside it), a quote anywhere else is an
 * error. Undefined when the record does not parse ("failed to parse csv mounts").
 */
export function mountFields(flag: InstructionFlag): MountField[] | undefined {
  if (flag.value === null || flag.value === '') return undefined;
  const s = flag.word.chars;
  const fields: MountField[] = [];
  let i = flag.valueStart;
  const n = s.length;
  for (;;) {
    const start = i;
    let value = '';
    // Offsets of the field's own characters in the word (CSV quotes left out).
    const at: number[] = [];
    if (s[i] === '"') {
      i++;
      for (;;) {
        if (i >= n) return undefined;
        if (s[i] === '"') {
          if (s[i + 1] === '"') {
            value += '"';
            at.push(i + 1);
            i += 2;
            continue;
          }
          i++;
          break;
        }
        value += s[i];
        at.push(i);
        i++;
      }
      if (i < n && s[i] !== ',') return undefined;
    } else {
      while (i < n && s[i] !== ',') {
        if (s[i] === '"') return undefined;
        value += s[i];
        at.push(i);
        i++;
      }
    }
    const eq = value.indexOf('=');
    fields.push({
      key: (eq === -1 ? value : value.slice(0, eq)).toLowerCase(),
      value: eq === -1 ? null : value.slice(eq + 1),
      start,
      end: i,
      valueStart: eq === -1 ? i : eq + 1 < at.length ? at[eq + 1] : i,
      valueEnd: eq === -1 || eq + 1 >= at.length ? i : at[at.length - 1] + 1,
    });
    if (i >= n) return fields;
    i++; // the comma
  }
}

/**
 * The arguments after the flags, split at `[\t\v\f\r ]` as parseStringsWhitespaceDelimited does
 * (after splitCommand trimmed the whole rest), with their ranges.
 */
export function plainArguments(line: LogicalLine, from: number): { text: string; range: Range }[] {
  const t = line.text;
  let end = t.length;
  while (end > from && isGoSpace(t.charCodeAt(end - 1))) end--;
  let i = from;
  while (i < end && isGoSpace(t.charCodeAt(i))) i++;
  const out: { text: string; range: Range }[] = [];
  while (i < end) {
    const start = i;
    while (i < end && !isTokenBlank(t.charCodeAt(i))) i++;
    out.push({ text: t.slice(start, i), range: line.rangeOf(start, i) });
    while (i < end && isTokenBlank(t.charCodeAt(i))) i++;
  }
  return out;
}
