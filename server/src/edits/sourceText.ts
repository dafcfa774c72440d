/**
 * The document text a fix is written for: its line breaks, each line's indentation and where a
 * line's content starts (after a BOM on line 0, which the model's positions count). The model
 * holds no text, so fixes that insert whole lines ask this; without it, `\n` and spaces are assumed.
 */
import { Position, Range, comparePositions } from '../analysis/positions';
import type { TextEdit } from './codeFix';

const LINE_BREAK = /\r\n|\r|\n/g;

export class SourceText {
  /** The document's first line break, `\n` when it has none. */
  readonly eol: string;
  private starts: number[] | undefined;

  constructor(readonly text: string) {
    const m = /\r\n|\r|\n/.exec(text);
    this.eol = m ? m[0] : '\n';
  }

  private lineStarts(): number[] {
    if (!this.starts) {
      const starts = [0];
      LINE_BREAK.lastIndex = 0;
      for (let m = LINE_BREAK.exec(this.text); m; m = LINE_BREAK.exec(this.text)) starts.push(m.index + m[0].length);
      this.starts = starts;
    }
    return this.starts;
  }

  get lineCount(): number {
    return this.lineStarts().length;
  }

  /** The text of a line without its line break ('' past the end). */
  lineText(line: number): string {
    const starts = this.lineStarts();
    if (line < 0 || line >= starts.length) return '';
    const end = line + 1 < starts.length ? starts[line + 1] : this.text.length;
    return this.text.slice(starts[line], end).replace(/[\r\n]+$/, '');
  }

  /** Characters before a line's content that are not part of it: a BOM on line 0. */
  prefixLength(line: number): number {
    return line === 0 && this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  }

  /** The blanks a line starts with (after a BOM). */
  indentation(line: number): string {
    const t = this.lineText(line).slice(this.prefixLength(line));
    return /^[ \t]*/.exec(t)![0];
  }
}

/** The document's line break, or `\n` without a source. */
export function eolOf(source: SourceText | undefined): string {
  return source?.eol ?? '\n';
}

/**
 * Inserts `content` as a new line after line `line` (which must exist in the model):
 * at the start of the next line, or at the end of the last line when the file has no final
 * line break. `lineCount` and `lineEnd` are the model's, used without a source.
 */
export function insertLineAfter(source: SourceText | undefined, line: number, content: string, lineCount: number, lineEnd: Position): TextEdit {
  const eol = eolOf(source);
  const count = source ? source.lineCount : lineCount;
  if (line + 1 < count) {
    const at = { line: line + 1, character: 0 };
    return { range: { start: at, end: at }, newText: content + eol };
  }
  const end = source ? { line, character: source.lineText(line).length } : lineEnd;
  return { range: { start: end, end }, newText: eol + content };
}

/** Inserts `content` as a new line before line `line` (after a BOM on line 0). */
export function insertLineBefore(source: SourceText | undefined, line: number, content: string): TextEdit {
  const at = { line, character: source ? source.prefixLength(line) : 0 };
  return { range: { start: at, end: at }, newText: content + eolOf(source) };
}

/** The blanks before `position` on its line (spaces without a source). */
export function indentationAt(source: SourceText | undefined, position: Position): string {
  if (source) return source.indentation(position.line);
  return ' '.repeat(position.character);
}

export function emptyRangeAt(p: Position): Range {
  return { start: p, end: p };
}

/** Edits in file order (a fix's edits never overlap). */
export function sortedEdits(edits: TextEdit[]): TextEdit[] {
  return [...edits].sort((a, b) => comparePositions(a.range.start, b.range.start) || comparePositions(a.range.end, b.range.end));
}
