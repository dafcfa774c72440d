/**
 * Dev container files (`devcontainer.json`, JSON with comments): `build.dockerfile` relative to
 * the devcontainer.json file, `build.context` relative to it too (default `.`), `build.target`.
 * Older files write `dockerFile` and `context` at the top level. Values such as
 * `${localEnv:NAME}` are substituted by the tool: the index does not guess them.
 */
import * as path from 'path';
import { findNodeAtLocation, Node, parseTree } from 'jsonc-parser';
import { BuildEntry, LineIndex } from './buildFiles';
import { jsonValue } from './writtenValues';

/** The dev container tool substitutes `${…}` variables; a value holding one is computed. */
const substituted = (s: string): string | undefined => (/\$\{/.test(s) ? undefined : s);

export function readDevcontainer(file: string, text: string): BuildEntry[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root || root.type !== 'object') return [];
  const lines = new LineIndex(text);
  const at = (...keys: string[]): Node | undefined => findNodeAtLocation(root, keys);
  const build = at('build');
  const dockerfileNode = (build && at('build', 'dockerfile')) ?? at('dockerFile') ?? at('dockerfile');
  if (!dockerfileNode) return [];
  const dockerfileValue = jsonValue(dockerfileNode, lines, substituted);
  const context = jsonValue((build && at('build', 'context')) ?? at('context'), lines, substituted);
  const target = build ? jsonValue(at('build', 'target'), lines, substituted) : undefined;
  const name = jsonValue(at('name'), lines, substituted);
  const keyNode = dockerfileNode.parent?.children?.[0] ?? dockerfileNode;
  const entry: BuildEntry = {
    file,
    kind: 'devcontainer',
    label: name?.value ?? path.basename(path.dirname(file)),
    range: lines.rangeOf(keyNode.offset, keyNode.offset + keyNode.length),
    dockerfile: undefined,
    dockerfileValue,
    target,
    namedContexts: [],
  };
  if (!dockerfileValue || dockerfileValue.value === undefined) entry.noDockerfile = `the path is computed (${dockerfileValue?.written ?? ''})`;
  else if (context && context.value === undefined) entry.noDockerfile = `the context is computed (${context.written})`;
  // The Dockerfile is found from the devcontainer.json's folder, whatever the context.
  else entry.dockerfile = path.resolve(path.dirname(file), dockerfileValue.value);
  return [entry];
}
