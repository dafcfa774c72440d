/**
 * "Name this stage": gives an unnamed stage a name (` AS name` after its base image) and
 * rewrites every `--from=N` that points at it by index to use the name. Shared by the
 * NumericStageReference quick fix, the refactoring on an unnamed stage's FROM line and the
 * `dockerfileStages/nameStage` request behind the CodeLens.
 *
 * The name comes from the base image (`golang:1.22` → `golang-build`, `ghcr.io/org/tool:v1`
 * → `tool-build`), else `stage-N`, and is one that changes nothing else: no stage has it, no
 * `--from` / `from=` / `FROM` names an image of that name (it would capture it), and no FROM
 * built from build arguments could expand to it.
 */
import { referenceEdit } from './referenceEdit';
import { Stage, StageModel } from '../analysis/stageModel';
import { RESERVED_STAGE_NAMES, isValidStageName } from '../analysis/stageNames';
import { expandWithValues, unquoteWord, variablePattern } from '../analysis/fromVariables';
import type { CodeFix, TextEdit } from './codeFix';
import { sortedEdits } from './sourceText';

const MAX_SUFFIX = 100;

/** The edits that name stage `index` and make its numeric references use the name. */
export function nameStageEdits(model: StageModel, index: number): { name: string; edits: TextEdit[] } | undefined {
  const stage = model.stages[index];
  if (!stage || stage.name !== undefined) return undefined;
  const from = stage.syntax.from;
  // Only a well-formed `FROM IMAGE`: with other arguments the line is already wrong.
  if (from.args.length !== 1 || !from.base) return undefined;
  const name = suggestStageName(model, stage);
  if (name === undefined) return undefined;
  const as = from.keywordText === from.keywordText.toLowerCase() ? 'as' : 'AS';
  const at = from.base.range.end;
  const edits: TextEdit[] = [{ range: { start: at, end: at }, newText: ` ${as} ${name}` }];
  for (const r of model.refs) {
    if (r.numeric && r.resolution.kind === 'stage' && r.resolution.stage === index) edits.push(referenceEdit(r, name));
  }
  return { name, edits: sortedEdits(edits) };
}

/** The "Name this stage" refactoring for stage `index`, if it has no name and can get one. */
export function nameStageFix(model: StageModel, index: number): CodeFix | undefined {
  const named = nameStageEdits(model, index);
  if (!named) return undefined;
  return { title: `Name this stage '${named.name}'`, kind: 'refactor.rewrite', edits: named.edits };
}

/** A free, valid name for `stage`, derived from its base image. */
export function suggestStageName(model: StageModel, stage: Stage): string | undefined {
  const base = baseWord(stage.syntax.from.base?.text ?? '');
  const stem = base ? `${base}-build` : `stage-${stage.index}`;
  for (let n = 1; n <= MAX_SUFFIX; n++) {
    const name = n === 1 ? stem : `${stem}-${n}`;
    if (isFreeName(model, stage, name)) return name;
  }
  return undefined;
}

/**
 * The image's own name: the last path component without tag or digest, lower-cased, with
 * characters a stage name cannot hold replaced by `-`. Undefined when it has variables or
 * nothing usable is left.
 */
function baseWord(image: string): string | undefined {
  if (image.includes('$')) return undefined;
  let s = image.replace(/^["']|["']$/g, '');
  s = s.split('@')[0];
  s = s.slice(s.lastIndexOf('/') + 1);
  s = s.split(':')[0];
  s = s.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^[^a-z]+/, '').replace(/[-_.]+$/, '');
  return s === '' ? undefined : s;
}

/**
 * The first of `names` that is free for stage `index` (`index` may be one past the last stage,
 * for a stage about to be appended), with `-2`, `-3`… tried after them on the first.
 */
export function freeStageName(model: StageModel, index: number, names: readonly string[]): string | undefined {
  const at = { index };
  for (const name of names) if (isFreeName(model, at, name)) return name;
  for (let n = 2; n <= MAX_SUFFIX; n++) if (isFreeName(model, at, `${names[0]}-${n}`)) return `${names[0]}-${n}`;
  return undefined;
}

function isFreeName(model: StageModel, stage: Pick<Stage, 'index'>, name: string): boolean {
  if (!isValidStageName(name) || RESERVED_STAGE_NAMES.has(name)) return false;
  if (model.stages.some((s) => s.key === name)) return false;
  for (const r of model.refs) {
    const res = r.resolution;
    if (res.kind === 'variable') {
      if (r.owner <= stage.index) continue;
      const pattern = variablePattern(r.value);
      if (pattern?.test(name)) return false;
      if (expandWithValues(r.value, model.globalValues) === name) return false;
      continue;
    }
    // Any other reference spelling the name (an image today) would find the new stage.
    const value = r.kind === 'from' ? (unquoteWord(r.value, model.escapeChar) ?? r.value) : r.value;
    if (value.toLowerCase() === name) return false;
  }
  return true;
}

