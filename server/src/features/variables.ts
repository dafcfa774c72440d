/**
 * Editor features on ARG and ENV variables, with BuildKit's scope (analysis/variableScopes.ts):
 * definition from a use to the declaration that gives it its value, references and highlights
 * of a variable within its scope, rename within its scope, hover with where the value comes from
 * and the value itself, and completion after `$` and `${` of the names visible there.
 */
import { Position, Range, comparePositions, rangeContains } from '../analysis/positions';
import { PREDEFINED_PLATFORM_ARGS, StageModel } from '../analysis/stageModel';
import { PREDEFINED_PROXY_ARGS, VariableDecl, VariableScopes, variableScopes } from '../analysis/variableScopes';

export interface VariableLink {
  originRange: Range;
  targetRange: Range;
  targetSelectionRange: Range;
}

/** From a use to its declaration; from a bare `ARG NAME` to the global ARG it brings in. */
export function variableDefinition(model: StageModel, pos: Position): VariableLink[] {
  const scopes = variableScopes(model);
  const site = scopes.siteAt(pos);
  if (site) {
    if (!site.decl || site.decl.kind === 'predefined') return [];
    return [{ originRange: site.range, targetRange: site.decl.decl.range, targetSelectionRange: site.decl.decl.nameRange }];
  }
  const declared = scopes.declarationAt(pos);
  const source = declared && scopes.source(declared);
  if (declared && source && source.kind !== 'predefined') {
    return [{ originRange: declared.decl.nameRange, targetRange: source.decl.range, targetSelectionRange: source.decl.nameRange }];
  }
  return [];
}

/** The variable under the cursor (a use or a declaration), as its scope's symbol. */
function symbolAt(scopes: VariableScopes, pos: Position) {
  const site = scopes.siteAt(pos);
  const decl: VariableDecl | undefined = site ? site.decl : scopes.declarationAt(pos);
  return decl ? { decl, ...scopes.symbol(decl) } : undefined;
}

export function variableReferences(model: StageModel, pos: Position, includeDeclaration: boolean): Range[] {
  const found = symbolAt(variableScopes(model), pos);
  if (!found) return [];
  const ranges = found.uses.map((u) => u.range);
  if (includeDeclaration) for (const d of found.declarations) ranges.push(d.decl.nameRange);
  return ranges.sort((a, b) => comparePositions(a.start, b.start));
}

export function variableHighlights(model: StageModel, pos: Position): { range: Range; kind: 'read' | 'write' }[] {
  const found = symbolAt(variableScopes(model), pos);
  if (!found) return [];
  return [
    ...found.uses.map((u) => ({ range: u.range, kind: 'read' as const })),
    ...found.declarations.map((d) => ({ range: d.decl.nameRange, kind: 'write' as const })),
  ].sort((a, b) => comparePositions(a.range.start, b.range.start));
}

const VARIABLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function prepareRenameVariable(model: StageModel, pos: Position): { range: Range; placeholder: string } | { error: string } | undefined {
  const scopes = variableScopes(model);
  const site = scopes.siteAt(pos);
  const declared = site ? undefined : scopes.declarationAt(pos);
  if (!site && !declared) return undefined;
  const decl = site ? site.decl : declared;
  const name = site ? site.name : declared!.decl.name;
  if (!decl) return { error: `${name} is not declared in this file (the base image may set it): there is nothing here to rename.` };
  if (decl.kind === 'predefined') return { error: `${name} is predefined by BuildKit: it cannot be renamed.` };
  return { range: site ? site.range : declared!.decl.nameRange, placeholder: name };
}

/**
 * Renames a variable's declarations and every use they give a value to. Refused for a name that
 * is no variable name, and for one already used or declared anywhere in the file (a capture would
 * change what another use reads; the check is the whole file, so it is safe whatever the scopes).
 */
export function renameVariable(model: StageModel, pos: Position, newName: string): { edits: { range: Range; newText: string }[] } | { error: string } | undefined {
  const prepared = prepareRenameVariable(model, pos);
  if (!prepared || 'error' in prepared) return prepared;
  if (!VARIABLE_NAME.test(newName)) return { error: `"${newName}" is not a variable name: a letter or _ first, then letters, digits or _.` };
  const scopes = variableScopes(model);
  const found = symbolAt(scopes, pos)!;
  if (newName === prepared.placeholder) return { edits: [] };
  const taken =
    scopes.sites.some((s) => s.name === newName) ||
    model.globalArgs.some((a) => a.name === newName) ||
    model.stages.some((s) => s.syntax.args.some((a) => a.name === newName) || s.syntax.envs.some((e) => e.name === newName));
  if (PREDEFINED_PLATFORM_ARGS.has(newName) || PREDEFINED_PROXY_ARGS.has(newName)) {
    return { error: `${newName} is predefined by BuildKit: the build would give it its own value.` };
  }
  if (taken) return { error: `${newName} is already a variable of this file: renaming to it would change what some of its uses read.` };
  const edits = [...found.declarations.map((d) => d.decl.nameRange), ...found.uses.map((u) => u.range)]
    .sort((a, b) => comparePositions(a.start, b.start))
    .map((range) => ({ range, newText: newName }));
  return { edits };
}

/**
 * Where the value comes from, and the value where the file decides it; with the line's text,
 * also the whole word the use sits in, expanded (`/out/${APP}` is `/out/web`).
 */
export function variableHover(model: StageModel, pos: Position, lineText?: string): { markdown: string; range: Range } | undefined {
  const scopes = variableScopes(model);
  const site = scopes.siteAt(pos);
  const declared = site ? undefined : scopes.declarationAt(pos);
  if (!site && !declared) return undefined;
  const name = site ? site.name : declared!.decl.name;
  const decl = site ? site.decl : declared!;
  const lines = [`\`${name}\`: ${origin(model, scopes, decl)}`];
  if (decl) {
    const value = scopes.valueOf(decl);
    if (value !== undefined) lines.push(`Value: \`${value}\``);
    else if (decl.kind !== 'predefined') lines.push('Its value is set by the build (no default here).');
  }
  if (site && lineText !== undefined) {
    const word = wordAround(lineText, site.range.start.character, site.range.end.character);
    const bare = word === `$${name}` || word === `\${${name}}`;
    const expanded = bare ? undefined : scopes.expand(word, site.range.start, site.stage, 0, site.inFrom);
    if (expanded !== undefined && expanded !== word) lines.push(`Here \`${word}\` is \`${expanded}\`.`);
  }
  return { markdown: lines.join('\n\n'), range: site ? site.range : declared!.decl.nameRange };
}

/** The word around [start, end) of a line: up to whitespace, a quote, or an `=` before it. */
function wordAround(line: string, start: number, end: number): string {
  let a = start;
  while (a > 0 && !/[\s"'=]/.test(line[a - 1])) a--;
  let b = end;
  // A `${NAME…}` use ends at its closing brace, whatever it holds.
  if (line[start - 1] === '{') {
    const close = line.indexOf('}', end);
    if (close !== -1) b = close + 1;
  }
  while (b < line.length && !/[\s"']/.test(line[b])) b++;
  return line.slice(a, b);
}

function origin(model: StageModel, scopes: VariableScopes, decl: VariableDecl | undefined): string {
  if (!decl) return 'not declared in this file; the base image may set it (ENV), otherwise it is empty.';
  const line = (r: Range) => r.start.line + 1;
  const stage = (i: number) => {
    const s = model.stages[i];
    return s.name !== undefined ? `stage \`${s.name}\`` : `stage ${i}`;
  };
  switch (decl.kind) {
    case 'predefined':
      return PREDEFINED_MEANING[decl.name] ?? 'predefined by BuildKit.';
    case 'global':
      return `global ARG, line ${line(decl.decl.range)} (visible in FROM lines, and in a stage after a bare \`ARG ${decl.decl.name}\`).`;
    case 'arg': {
      const from = scopes.source(decl);
      const base = `ARG in ${stage(decl.stage)}, line ${line(decl.decl.range)}`;
      return from && from.kind === 'global' ? `${base}, bringing in the global ARG of line ${line(from.decl.range)}.` : `${base}.`;
    }
    case 'env':
      return `ENV in ${stage(decl.stage)}, line ${line(decl.decl.range)}.`;
  }
}

const PREDEFINED_MEANING: Record<string, string> = {
  TARGETPLATFORM: 'predefined by BuildKit: the platform of the build result (`linux/amd64`…).',
  TARGETOS: 'predefined by BuildKit: the OS of the build result (`linux`…).',
  TARGETARCH: 'predefined by BuildKit: the architecture of the build result (`amd64`…).',
  TARGETVARIANT: 'predefined by BuildKit: the variant of the build result\'s architecture (`v7`…).',
  BUILDPLATFORM: 'predefined by BuildKit: the platform of the machine that builds (`linux/amd64`…).',
  BUILDOS: 'predefined by BuildKit: the OS of the machine that builds.',
  BUILDARCH: 'predefined by BuildKit: the architecture of the machine that builds.',
  BUILDVARIANT: 'predefined by BuildKit: the variant of the machine that builds.',
  BUILDOSVERSION: 'predefined by BuildKit: the OS version of the machine that builds (Windows).',
  TARGETOSVERSION: 'predefined by BuildKit: the OS version of the build result (Windows).',
  TARGETSTAGE: 'predefined by BuildKit: the name of the stage being built (the target).',
};

export interface VariableCompletion {
  label: string;
  detail: string;
  replaceRange: Range;
}

/** After `$` or `${`: the names visible at the cursor, and nothing else. */
export function variableCompletions(model: StageModel, pos: Position, linePrefix: string): VariableCompletion[] | undefined {
  const m = /\$\{?([A-Za-z_][A-Za-z0-9_]*)?$/.exec(linePrefix);
  if (!m) return undefined;
  // Not in a comment, and not in a `--from` value, which BuildKit does not expand.
  if (/^\s*#/.test(linePrefix) || /(?:--from=|[\s,=]from=)[^\s,]*$/i.test(linePrefix)) return undefined;
  // A `$` escaped by the file's escape character is no variable.
  const before = linePrefix.slice(0, m.index);
  if (before.endsWith(model.escapeChar) && !before.endsWith(model.escapeChar + model.escapeChar)) return undefined;
  const typed = m[1] ?? '';
  const replaceRange = { start: { line: pos.line, character: pos.character - typed.length }, end: pos };
  const scopes = variableScopes(model);
  const out: VariableCompletion[] = [];
  for (const [name, decl] of scopes.visibleAt(pos)) {
    out.push({ label: name, detail: origin(model, scopes, decl).replace(/\.$/, ''), replaceRange });
  }
  return out.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Whether the cursor is on a variable: a use (`$NAME`, `${NAME}`) or the name an ARG or ENV declares. */
export function isOnVariable(model: StageModel, pos: Position): boolean {
  // Most positions are on no variable: the syntax under the cursor says so without the file's
  // variable scopes, which the first request after an edit would otherwise build.
  if (!syntaxHasVariableAt(model, pos)) return false;
  const scopes = variableScopes(model);
  return scopes.siteAt(pos) !== undefined || scopes.declarationAt(pos) !== undefined;
}

/**
 * Whether a variable use or an ARG or ENV name of the syntax covers `pos`: every place the
 * variable scopes know (their sites and declarations) is one of these.
 */
function syntaxHasVariableAt(model: StageModel, pos: Position): boolean {
  const covers = (r: Range) => rangeContains(r, pos);
  if (model.globalArgs.some((a) => covers(a.nameRange))) return true;
  if (model.preamble.some((ins) => covers(ins.range) && ins.variables.some((v) => covers(v.range)))) return true;
  const stage = model.stageAt(pos);
  if (!stage) return false;
  const syntax = stage.syntax;
  if (syntax.from.variables.some((v) => covers(v.range))) return true;
  if (syntax.args.some((a) => covers(a.nameRange)) || syntax.envs.some((e) => covers(e.nameRange))) return true;
  return syntax.instructions.some((ins) => covers(ins.range) && ins.variables.some((v) => covers(v.range)));
}

/**
 * Whether definition and hover should speak of the variable under the cursor rather than of the
 * stage reference around it: in `FROM build-$VARIANT` whose value names stages of this file, the
 * stage is what the user is after; where it names none (an image), the variable is.
 */
export function variableBeforeStage(model: StageModel, pos: Position): boolean {
  if (!isOnVariable(model, pos)) return false;
  const res = model.refAt(pos)?.resolution;
  return !(res?.kind === 'stage' || (res?.kind === 'variable' && res.candidates.length > 0));
}
