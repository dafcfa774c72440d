/** Shared helpers of the navigation feature tests (definition, references, highlight, rename). */
import assert from 'node:assert/strict';
import { Position, Range } from '../../server/src/analysis/positions';
import { FixtureCase, Mark, formatRange } from '../support/fixtures';

/** The case's cursor; every navigation case must have one. */
export function cursorOf(c: FixtureCase): Position {
  assert.ok(c.cursor, `case "${c.name}" has no $0 cursor`);
  return c.cursor;
}

/** A mark label `kind` or `kind id` split in two (the id is '' when absent). */
export function splitLabel(m: Mark): { kind: string; id: string } {
  const space = m.label.indexOf(' ');
  return space === -1 ? { kind: m.label, id: '' } : { kind: m.label.slice(0, space), id: m.label.slice(space + 1).trim() };
}

export function marksOf(c: FixtureCase, kind: string): Mark[] {
  return c.marks.filter((m) => splitLabel(m).kind === kind);
}

/** Formatted, sorted: the form every assertion compares. */
export function rangeSet(ranges: Range[]): string[] {
  return ranges.map(formatRange).sort(compareFormatted);
}

export function compareFormatted(a: string, b: string): number {
  const numbers = (s: string) => (s.match(/\d+/g) ?? []).map(Number);
  const na = numbers(a);
  const nb = numbers(b);
  for (let i = 0; i < Math.min(na.length, nb.length); i++) if (na[i] !== nb[i]) return na[i] - nb[i];
  return na.length - nb.length || a.localeCompare(b);
}

/** The same text with CRLF line endings. */
export function crlf(text: string): string {
  return text.replace(/\r?\n/g, '\r\n');
}

/** The text at `r` (UTF-16 positions, lines split at LF; a CR stays at the line's end). */
export function textAt(text: string, r: Range): string {
  return text.slice(offsetAt(text, r.start), offsetAt(text, r.end));
}

export function offsetAt(text: string, p: Position): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) {
    const nl = text.indexOf('\n', offset);
    assert.ok(nl !== -1, `line ${p.line} is past the end of the text`);
    offset = nl + 1;
  }
  const lineEnd = text.indexOf('\n', offset);
  const end = lineEnd === -1 ? text.length : lineEnd;
  assert.ok(offset + p.character <= end, `character ${p.character} is past the end of line ${p.line}`);
  return offset + p.character;
}

/** Applies non-overlapping edits sorted in file order. */
export function applyEdits(text: string, edits: { range: Range; newText: string }[]): string {
  let out = text;
  for (const e of [...edits].reverse()) {
    out = out.slice(0, offsetAt(out, e.range.start)) + e.newText + out.slice(offsetAt(out, e.range.end));
  }
  return out;
}
