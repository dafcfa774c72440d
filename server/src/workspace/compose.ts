/**
 * Compose files: each service's `build` (Compose Specification, build support). `context` is
 * relative to the Compose file's folder (default `.`), `dockerfile` relative to the context
 * (default `Dockerfile`), `dockerfile_inline` has no file, `target` names a stage, and
 * `additional_contexts` (a map, or a list of `NAME=path`) names contexts. The short form
 * `build: ./dir` is a context alone. Values may interpolate `${VAR:-default}`.
 */
import * as path from 'path';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';
import { BuildEntry, LineIndex, NamedContext, WrittenValue } from './buildFiles';
import { yamlValue } from './writtenValues';

export function readCompose(file: string, text: string): BuildEntry[] {
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  const lines = new LineIndex(text);
  const services = doc.get('services', true);
  if (!isMap(services)) return [];
  const entries: BuildEntry[] = [];
  for (const pair of services.items) {
    if (!isScalar(pair.key) || !pair.key.range) continue;
    const service = String(pair.key.value);
    const build = isMap(pair.value) ? pair.value.get('build', true) : undefined;
    if (build === undefined || build === null) continue;
    const range = lines.rangeOf(pair.key.range[0], pair.key.range[1]);
    const entry: BuildEntry = { file, kind: 'compose', label: service, range, dockerfile: undefined, dockerfileValue: undefined, target: undefined, namedContexts: [] };
    if (isScalar(build)) {
      readPaths(entry, yamlValue(build, lines), undefined);
    } else if (isMap(build)) {
      const get = (key: string) => (build as YAMLMap).get(key, true);
      entry.target = yamlValue(get('target'), lines);
      entry.namedContexts = namedContexts(get('additional_contexts'), lines);
      if (get('dockerfile_inline') !== undefined) entry.noDockerfile = 'the Dockerfile is written inline (dockerfile_inline)';
      else readPaths(entry, yamlValue(get('context'), lines), yamlValue(get('dockerfile'), lines));
    } else {
      continue;
    }
    entries.push(entry);
  }
  return entries;
}

/** Where the Dockerfile is: `context` relative to the Compose file, `dockerfile` relative to the context. */
function readPaths(entry: BuildEntry, context: WrittenValue | undefined, dockerfile: WrittenValue | undefined): void {
  const contextPath = context ? context.value : '.';
  entry.dockerfileValue = dockerfile ?? context;
  const computed = dockerfile && dockerfile.value === undefined ? dockerfile : contextPath === undefined ? context : undefined;
  if (computed || contextPath === undefined) {
    entry.noDockerfile = `the path is computed (${computed?.written ?? ''})`;
    return;
  }
  if (isRemote(contextPath)) {
    entry.noDockerfile = `the context is not a folder here (${contextPath})`;
    return;
  }
  const contextDir = path.resolve(path.dirname(entry.file), contextPath);
  entry.dockerfile = path.resolve(contextDir, dockerfile?.value ?? 'Dockerfile');
}

/** A Git or HTTP context, which has no Dockerfile on this disk. */
export function isRemote(context: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(context) || /^git@/.test(context) || /^github\.com\//.test(context);
}

function namedContexts(node: unknown, lines: LineIndex): NamedContext[] {
  const out: NamedContext[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      if (!isScalar(pair.key) || !pair.key.range) continue;
      out.push({ name: String(pair.key.value), range: lines.rangeOf(pair.key.range[0], pair.key.range[1]), value: isScalar(pair.value) ? String(pair.value.value) : '' });
    }
  } else if (isSeq(node)) {
    for (const item of node.items) {
      const v = yamlValue(item, lines);
      if (!v || !v.literal || v.value === undefined) continue;
      const eq = v.value.indexOf('=');
      if (eq <= 0) continue;
      out.push({ name: v.value.slice(0, eq), range: { start: v.range.start, end: { line: v.range.start.line, character: v.range.start.character + eq } }, value: v.value.slice(eq + 1) });
    }
  }
  return out;
}
