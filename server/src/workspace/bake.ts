/**
 * Buildx Bake files (`docker-bake.hcl`, `docker-bake.json`, `docker-bake.override.hcl`): each
 * `target "name" { … }` block is a build. `context` is relative to the Bake file's folder
 * (default `.`), `dockerfile` relative to the context (default `Dockerfile`), `target` names a
 * stage, `contexts = { NAME = "…" }` names contexts, and `inherits = [...]` copies the parents'
 * attributes (the child's own win). `${VAR}` in a string reads a `variable` block's default,
 * which the environment may override at build time: such a value is known, not literal.
 */
import * as path from 'path';
import { findNodeAtLocation, Node as JsonNode, parseTree } from 'jsonc-parser';
import { Range } from '../analysis/positions';
import { BuildEntry, LineIndex, NamedContext, WrittenValue } from './buildFiles';
import { isRemote } from './compose';
import { HclNode, hclParser } from './hcl';
import { interpolate } from './interpolation';
import { jsonValue } from './writtenValues';

/** What a target block says, before inheritance. */
interface TargetBlock {
  name: string;
  range: Range;
  attributes: Map<string, WrittenValue | undefined>;
  contexts: NamedContext[] | undefined;
  inherits: string[];
}

export async function readBake(file: string, text: string): Promise<BuildEntry[]> {
  const lines = new LineIndex(text);
  const blocks = file.endsWith('.json') ? readJson(text, lines) : readHcl((await hclParser()).parse(text)?.rootNode, lines);
  return toEntries(file, blocks);
}

function toEntries(file: string, blocks: TargetBlock[]): BuildEntry[] {
  const byName = new Map(blocks.map((b) => [b.name, b]));
  return blocks.map((block) => {
    const attr = (key: string) => inherited(block, byName, (b) => (b.attributes.has(key) ? { found: b.attributes.get(key) } : undefined));
    const contexts = inherited(block, byName, (b) => (b.contexts ? { found: b.contexts } : undefined)) ?? [];
    const entry: BuildEntry = { file, kind: 'bake', label: block.name, range: block.range, dockerfile: undefined, dockerfileValue: undefined, target: attr('target'), namedContexts: contexts };
    const context = attr('context');
    const dockerfile = attr('dockerfile');
    entry.dockerfileValue = dockerfile ?? context;
    if (attr('dockerfile-inline') !== undefined) entry.noDockerfile = 'the Dockerfile is written inline (dockerfile-inline)';
    else if ((context && context.value === undefined) || (dockerfile && dockerfile.value === undefined)) entry.noDockerfile = `the path is computed (${((dockerfile?.value === undefined ? dockerfile : context) ?? context)?.written ?? ''})`;
    else if (context?.value !== undefined && isRemote(context.value)) entry.noDockerfile = `the context is not a folder here (${context.value})`;
    else entry.dockerfile = path.resolve(path.dirname(file), context?.value ?? '.', dockerfile?.value ?? 'Dockerfile');
    return entry;
  });
}

/** The first block in the inheritance order (the block itself, then its parents, depth first) that has the thing. */
function inherited<T>(block: TargetBlock, byName: ReadonlyMap<string, TargetBlock>, has: (b: TargetBlock) => { found: T } | undefined): T | undefined {
  const seen = new Set<string>();
  const visit = (b: TargetBlock): { found: T } | undefined => {
    if (seen.has(b.name)) return undefined;
    seen.add(b.name);
    const own = has(b);
    if (own) return own;
    // The last parent listed wins over the ones before it, as Bake merges them in order.
    for (const parent of [...b.inherits].reverse()) {
      const p = byName.get(parent);
      const found = p && visit(p);
      if (found) return found;
    }
    return undefined;
  };
  return visit(block)?.found;
}

// ---- HCL

function readHcl(root: HclNode | undefined, lines: LineIndex): TargetBlock[] {
  const body = root?.namedChildren.find((c) => c?.type === 'body');
  if (!body) return [];
  const variables = new Map<string, string>();
  const blocks: { label: string; kind: string; labelNode: HclNode; body: HclNode | undefined }[] = [];
  for (const block of body.namedChildren) {
    if (block?.type !== 'block') continue;
    const kind = block.namedChildren.find((c) => c?.type === 'identifier')?.text;
    const labelNode = block.namedChildren.find((c) => c?.type === 'string_lit');
    const inner = block.namedChildren.find((c) => c?.type === 'body') ?? undefined;
    if (!kind || !labelNode) continue;
    const label = stringOf(labelNode, lines, new Map())?.value;
    if (label === undefined) continue;
    if (kind === 'variable') {
      const def = inner && attributes(inner).get('default');
      const value = def && stringOf(def, lines, new Map());
      if (value?.literal && value.value !== undefined) variables.set(label, value.value);
    } else if (kind === 'target') {
      blocks.push({ label, kind, labelNode, body: inner });
    }
  }
  return blocks.map(({ label, labelNode, body: inner }) => {
    const attrs = inner ? attributes(inner) : new Map<string, HclNode>();
    const values = new Map<string, WrittenValue | undefined>();
    for (const key of ['context', 'dockerfile', 'dockerfile-inline', 'target']) {
      if (attrs.has(key)) values.set(key, stringOf(attrs.get(key)!, lines, variables));
    }
    const inherits = attrs.has('inherits') ? tupleStrings(attrs.get('inherits')!, lines, variables) : [];
    return {
      name: label,
      range: lines.rangeOf(labelNode.startIndex, labelNode.endIndex),
      attributes: values,
      contexts: attrs.has('contexts') ? objectContexts(attrs.get('contexts')!, lines) : undefined,
      inherits,
    };
  });
}

/** A body's attributes by name: the expression node of each. */
function attributes(body: HclNode): Map<string, HclNode> {
  const out = new Map<string, HclNode>();
  for (const a of body.namedChildren) {
    if (a?.type !== 'attribute') continue;
    const key = a.namedChildren.find((c) => c?.type === 'identifier')?.text;
    const value = a.namedChildren.find((c) => c?.type === 'expression');
    if (key && value) out.set(key, value);
  }
  return out;
}

/** The string an expression (or a string_lit) stands for, when it is a string template. */
function stringOf(node: HclNode, lines: LineIndex, variables: ReadonlyMap<string, string>): WrittenValue | undefined {
  // A plain string is a string_lit; one with `${…}` a quoted_template, under an expression.
  let lit: HclNode | null | undefined = node;
  while (lit && lit.type !== 'string_lit' && lit.type !== 'quoted_template') lit = lit.namedChildCount === 1 ? lit.namedChild(0) : undefined;
  if (!lit) {
    const range = lines.rangeOf(node.startIndex, node.endIndex);
    return { value: undefined, range, literal: false, written: node.text };
  }
  const from = lit.startIndex + 1;
  const to = Math.max(from, lit.endIndex - 1);
  const written = lines.text.slice(from, to);
  const range = lines.rangeOf(from, to);
  const parts = lit.namedChildren.filter((c) => c && c.type !== 'quoted_template_start' && c.type !== 'quoted_template_end');
  if (parts.every((p) => p?.type === 'template_literal') && !written.includes('\\')) return { value: written, range, literal: true, written };
  // `${VAR}` with a variable default: known, but the environment may override it.
  return { value: interpolate(written.replace(/\$\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}/g, '${$1}'), variables), range, literal: false, written };
}

function tupleStrings(node: HclNode, lines: LineIndex, variables: ReadonlyMap<string, string>): string[] {
  const tuple = node.descendantsOfType('tuple')[0];
  if (!tuple) return [];
  return tuple.namedChildren
    .filter((c): c is HclNode => c?.type === 'expression')
    .map((e) => stringOf(e, lines, variables)?.value)
    .filter((v): v is string => v !== undefined);
}

function objectContexts(node: HclNode, lines: LineIndex): NamedContext[] {
  const object = node.descendantsOfType('object')[0];
  if (!object) return [];
  const out: NamedContext[] = [];
  for (const elem of object.namedChildren) {
    if (elem?.type !== 'object_elem') continue;
    const key = elem.childForFieldName('key');
    const val = elem.childForFieldName('val');
    if (!key) continue;
    const name = key.text.replace(/^"|"$/g, '');
    out.push({ name, range: lines.rangeOf(key.startIndex, key.endIndex), value: val ? val.text.replace(/^"|"$/g, '') : '' });
  }
  return out;
}

// ---- JSON

function readJson(text: string, lines: LineIndex): TargetBlock[] {
  const root = parseTree(text, [], { allowTrailingComma: true });
  if (!root) return [];
  const variables = new Map<string, string>();
  for (const v of findNodeAtLocation(root, ['variable'])?.children ?? []) {
    const name = v.children?.[0]?.value;
    const def = v.children?.[1] && findNodeAtLocation(v.children[1], ['default']);
    if (typeof name === 'string' && def?.type === 'string') variables.set(name, def.value as string);
  }
  const expand = (s: string) => interpolate(s, variables);
  const blocks: TargetBlock[] = [];
  for (const t of findNodeAtLocation(root, ['target'])?.children ?? []) {
    const keyNode = t.children?.[0];
    const body = t.children?.[1];
    if (!keyNode || typeof keyNode.value !== 'string' || body?.type !== 'object') continue;
    const attributes = new Map<string, WrittenValue | undefined>();
    for (const key of ['context', 'dockerfile', 'dockerfile-inline', 'target']) {
      const node = findNodeAtLocation(body, [key]);
      if (node) attributes.set(key, jsonValue(node, lines, expand));
    }
    const contextsNode = findNodeAtLocation(body, ['contexts']);
    const inheritsNode = findNodeAtLocation(body, ['inherits']);
    blocks.push({
      name: keyNode.value,
      range: lines.rangeOf(keyNode.offset + 1, keyNode.offset + keyNode.length - 1),
      attributes,
      contexts: contextsNode ? jsonContexts(contextsNode, lines) : undefined,
      inherits: (inheritsNode?.children ?? []).map((c: JsonNode) => c.value).filter((v): v is string => typeof v === 'string'),
    });
  }
  return blocks;
}

function jsonContexts(node: JsonNode, lines: LineIndex): NamedContext[] {
  return (node.children ?? []).flatMap((p) => {
    const key = p.children?.[0];
    if (!key || typeof key.value !== 'string') return [];
    return [{ name: key.value, range: lines.rangeOf(key.offset + 1, key.offset + key.length - 1), value: String(p.children?.[1]?.value ?? '') }];
  });
}
