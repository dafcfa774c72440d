/**
 * The flags in front of an instruction's arguments, read the way BuildKit reads them
 * (frontend/dockerfile/parser/split_command.go, extractBuilderFlags), with where each one is
 * written in the file.
 *
 * BuildKit first joins the instruction's continuation lines (the escape character at the end of
 * a line, blanks after it allowed; comment lines and blank lines inside are dropped; nothing is
 * put between the joined pieces). Then it reads words that start with `--`, until the first word
 * that does not or a bare `--`, which ends the flags and is not one. Inside a word, `'…'` and
 * `"…"` quote (the quotes are dropped) and a backslash takes the next character as it is,
 * whatever the escape directive says.
 */
import { Position } from './positions';
import { Token } from './syntax';

const BLANK = /\s/;
const COMMENT_OR_BLANK = /^\s*(#|$)/;

/**
 * The flags of the instruction whose keyword ends at `start`, on the lines up to `lastLine`:
 * each word as BuildKit reads it (`--mount=type=cache,target=/a b` for
 * `--mount=type=cache,"target=/a b"`), its range from its first character to its last as written
 * (over several lines when a continuation splits it).
 */
export function readBuilderFlags(lines: readonly string[], start: Position, lastLine: number, escape: string): Token[] {
  const joined = new JoinedLine(lines, start, lastLine, escape);
  const flags: Token[] = [];
  let i = 0;
  for (;;) {
    while (joined.at(i) !== undefined && BLANK.test(joined.at(i)!)) i++;
    // A word goes on the flags only when it starts with `--`.
    if (joined.at(i) !== '-' || joined.at(i + 1) !== '-') return flags;
    const first = i;
    let word = '';
    let quote = '';
    for (let c = joined.at(i); c !== undefined; c = joined.at(++i)) {
      if (quote === '' && BLANK.test(c)) break;
      if (quote === '' && (c === "'" || c === '"')) quote = c;
      else if (quote !== '' && c === quote) quote = '';
      else if (c === '\\') {
        const next = joined.at(i + 1);
        if (next !== undefined) {
          word += next;
          i++;
        } else if (quote !== '') quote = '';
      } else word += c;
    }
    if (word === '--') return flags;
    const from = joined.position(first);
    const to = joined.position(i - 1);
    flags.push({ text: word, range: { start: from, end: { line: to.line, character: to.character + 1 } } });
  }
}

/**
 * The characters of one logical line, continuation lines joined, produced only as far as they
 * are asked for (the flags are a short prefix of what can be a long RUN).
 */
class JoinedLine {
  private readonly chars: string[] = [];
  private readonly positions: Position[] = [];
  private line: number;
  private column: number;
  /** Where the current physical line's part of the logical line ends. */
  private end = 0;
  /** Whether the logical line goes on after the current physical line. */
  private continues = false;

  constructor(
    private readonly lines: readonly string[],
    start: Position,
    private readonly lastLine: number,
    private readonly escape: string,
  ) {
    this.line = start.line;
    this.column = start.character;
    this.measure();
  }

  /** The `i`th character of the logical line; undefined past its end. */
  at(i: number): string | undefined {
    while (this.chars.length <= i && this.pull());
    return this.chars[i];
  }

  /** Where the `i`th character (one already read) is written. */
  position(i: number): Position {
    return this.positions[i];
  }

  private measure(): void {
    const text = this.lines[this.line] ?? '';
    let end = text.length;
    while (end > this.column && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    this.continues = this.line < this.lastLine && end > this.column && text.endsWith(this.escape, end);
    this.end = this.continues ? end - this.escape.length : text.length;
  }

  private pull(): boolean {
    while (this.column >= this.end) {
      if (!this.continues) return false;
      do this.line++;
      while (this.line <= this.lastLine && COMMENT_OR_BLANK.test(this.lines[this.line] ?? ''));
      if (this.line > this.lastLine) return false;
      this.column = 0;
      this.measure();
    }
    this.chars.push(this.lines[this.line][this.column]);
    this.positions.push({ line: this.line, character: this.column });
    this.column++;
    return true;
  }
}
