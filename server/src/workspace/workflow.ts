/**
 * GitHub workflows (`.github/workflows/*.yml`): steps that use `docker/build-push-action`.
 * `with.context` is a path from the repository root (default: the repository itself), `with.file`
 * a path from the repository root (default `<context>/Dockerfile`), `with.target` a stage, and
 * `with.build-contexts` lines `NAME=path`. `${{ … }}` expressions are the runner's: computed.
 */
import * as path from 'path';
import { isMap, isScalar, isSeq, parseDocument, YAMLMap } from 'yaml';
import { BuildEntry, LineIndex, NamedContext } from './buildFiles';
import { isRemote } from './compose';
import { yamlValue } from './writtenValues';

const ACTION = /^docker\/build-push-action(@|$)/;
const expression = (s: string): string | undefined => (s.includes('${{') ? undefined : s);

export function readWorkflow(file: string, text: string): BuildEntry[] {
  const doc = parseDocument(text, { strict: false, uniqueKeys: false });
  const lines = new LineIndex(text);
  const root = path.dirname(path.dirname(path.dirname(file)));
  const jobs = doc.get('jobs', true);
  if (!isMap(jobs)) return [];
  const entries: BuildEntry[] = [];
  for (const job of jobs.items) {
    if (!isScalar(job.key) || !isMap(job.value)) continue;
    const jobName = String(job.key.value);
    const steps = job.value.get('steps', true);
    if (!isSeq(steps)) continue;
    steps.items.forEach((step, i) => {
      if (!isMap(step)) return;
      const uses = step.get('uses', true);
      if (!isScalar(uses) || !ACTION.test(String(uses.value)) || !uses.range) return;
      const withMap = step.get('with', true);
      const get = (key: string) => (isMap(withMap) ? (withMap as YAMLMap).get(key, true) : undefined);
      const name = yamlValue(step.get('name', true), lines, expression);
      const entry: BuildEntry = {
        file,
        kind: 'workflow',
        label: `${jobName}: ${name?.value ?? `step ${i + 1}`}`,
        range: lines.rangeOf(uses.range[0], uses.range[1]),
        dockerfile: undefined,
        dockerfileValue: undefined,
        target: yamlValue(get('target'), lines, expression),
        namedContexts: buildContexts(get('build-contexts'), lines),
      };
      const context = yamlValue(get('context'), lines, expression);
      const dockerfile = yamlValue(get('file'), lines, expression);
      entry.dockerfileValue = dockerfile ?? context;
      if ((context && context.value === undefined) || (dockerfile && dockerfile.value === undefined)) {
        entry.noDockerfile = `the path is computed (${(dockerfile ?? context)!.written})`;
      } else if (context?.value !== undefined && isRemote(context.value)) {
        entry.noDockerfile = `the context is not a folder here (${context.value})`;
      } else {
        entry.dockerfile = dockerfile?.value !== undefined ? path.resolve(root, dockerfile.value) : path.resolve(root, context?.value ?? '.', 'Dockerfile');
      }
      entries.push(entry);
    });
  }
  return entries;
}

/** `build-contexts: |` lines `NAME=path`, each name with its place in the file. */
function buildContexts(node: unknown, lines: LineIndex): NamedContext[] {
  if (!isScalar(node) || !node.range) return [];
  const out: NamedContext[] = [];
  const source = lines.text.slice(node.range[0], node.range[1]);
  let searchFrom = 0;
  for (const line of String(node.value).split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq).trim();
    const at = source.indexOf(`${name}=`, searchFrom);
    if (at === -1) continue;
    searchFrom = at + name.length;
    const start = node.range[0] + at;
    out.push({ name, range: lines.rangeOf(start, start + name.length), value: line.slice(eq + 1).trim() });
  }
  return out;
}
