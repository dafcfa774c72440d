/**
 * Values of YAML and JSON build files as WrittenValues: what the tool reads, where it is written,
 * and whether an edit can rewrite it in place.
 */
import { Node as JsonNode } from 'jsonc-parser';
import { Scalar, isScalar } from 'yaml';
import { LineIndex, WrittenValue } from './buildFiles';
import { hasInterpolation, interpolate } from './interpolation';

/** A YAML scalar (plain or quoted). Its interpolation, if any, is expanded with `expand`. */
export function yamlValue(node: unknown, lines: LineIndex, expand: (s: string) => string | undefined = interpolate): WrittenValue | undefined {
  if (!isScalar(node) || node.range === undefined || node.range === null) return undefined;
  const scalar = node as Scalar;
  const [start, end] = scalar.range!;
  const quoted = scalar.type === Scalar.QUOTE_DOUBLE || scalar.type === Scalar.QUOTE_SINGLE;
  const from = quoted ? start + 1 : start;
  const to = quoted ? Math.max(from, end - 1) : end;
  const text = scalar.value === null || scalar.value === undefined ? '' : String(scalar.value);
  const written = lines.text.slice(from, to);
  const plain = (scalar.type === Scalar.PLAIN || quoted) && written === text;
  const literal = plain && !hasInterpolation(text);
  return { value: literal ? text : expand(text), range: lines.rangeOf(from, to), literal, written };
}

/** A JSON string value; `expand` reads what the tool substitutes in it (`${localEnv:X}`). */
export function jsonValue(node: JsonNode | undefined, lines: LineIndex, expand: (s: string) => string | undefined): WrittenValue | undefined {
  if (!node || node.type !== 'string' || typeof node.value !== 'string') return undefined;
  const from = node.offset + 1;
  const to = node.offset + node.length - 1;
  const written = lines.text.slice(from, to);
  const literal = written === node.value && !hasInterpolation(node.value);
  return { value: literal ? node.value : expand(node.value), range: lines.rangeOf(from, to), literal, written };
}
