/**
 * Applies text edits (LSP-shaped: 0-based lines, UTF-16 characters) to a text, as an editor
 * does, and maps positions of the old text into the new one. Lines end at \r\n, \r or \n.
 */
import assert from 'node:assert/strict';
import { Position, Range, comparePositions } from '../../server/src/analysis/positions';

export interface Edit {
  range: Range;
  newText: string;
}

function lineStarts(text: string): number[] {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return starts;
}

export function offsetAt(text: string, p: Position, starts = lineStarts(text)): number {
  assert.ok(p.line < starts.length, `line ${p.line} is past the end of the text`);
  const lineEnd = p.line + 1 < starts.length ? starts[p.line + 1] : text.length;
  const content = text.slice(starts[p.line], lineEnd).replace(/[\r\n]+$/, '');
  assert.ok(p.character <= content.length, `character ${p.character} is past the end of line ${p.line}`);
  return starts[p.line] + p.character;
}

export function positionAt(text: string, offset: number, starts = lineStarts(text)): Position {
  let line = 0;
  while (line + 1 < starts.length && starts[line + 1] <= offset) line++;
  return { line, character: offset - starts[line] };
}

export interface Applied {
  text: string;
  /** Where a range of the old text is in the new one (an edited range becomes its replacement). */
  mapRange(r: Range): Range;
}

/** Applies edits that do not overlap (in any order); fails on overlapping edits. */
export function applyEdits(text: string, edits: readonly Edit[]): Applied {
  const starts = lineStarts(text);
  const sorted = [...edits]
    .map((e) => ({ start: offsetAt(text, e.range.start, starts), end: offsetAt(text, e.range.end, starts), newText: e.newText }))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    assert.ok(sorted[i - 1].end <= sorted[i].start, `edits overlap at offset ${sorted[i].start}`);
    assert.ok(sorted[i - 1].start !== sorted[i].start || sorted[i - 1].end !== sorted[i].end, 'two edits of the same range');
  }
  let out = '';
  let at = 0;
  for (const e of sorted) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  out += text.slice(at);

  /** Offset in the new text: `right` keeps a position at an insertion point after the inserted text. */
  const map = (o: number, right: boolean): number => {
    let delta = 0;
    for (const e of sorted) {
      if (e.end < o || (e.end === o && (e.start < e.end || right))) {
        delta += e.newText.length - (e.end - e.start);
      } else if (e.start < o && o < e.end) {
        return e.start + delta + (right ? e.newText.length : 0);
      } else if (e.start === o && e.end > o) {
        return o + delta + (right ? e.newText.length : 0);
      }
    }
    return o + delta;
  };
  const newStarts = lineStarts(out);
  return {
    text: out,
    mapRange(r: Range): Range {
      const s = offsetAt(text, r.start, starts);
      const e = offsetAt(text, r.end, starts);
      const ns = map(s, false);
      const ne = Math.max(ns, map(e, true));
      return { start: positionAt(out, ns, newStarts), end: positionAt(out, ne, newStarts) };
    },
  };
}

/** Whether two ranges share a position (touching counts). */
export function rangesMeet(a: Range, b: Range): boolean {
  return comparePositions(a.start, b.end) <= 0 && comparePositions(b.start, a.end) <= 0;
}
