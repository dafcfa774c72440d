/**
 * Hover on a stage name (`AS name`) or a stage reference: what the reference names for
 * BuildKit, the stage's base chain, who uses it and whether the default target builds it.
 */
import { Position, Range } from '../analysis/positions';
import { Stage, StageModel, StageRef } from '../analysis/stageModel';
import { variablePattern } from '../analysis/fromVariables';
import { looksLikeImageReference } from '../analysis/stageNames';
import { KIND_LABEL } from '../workspace/buildFiles';
import { DockerfileBuilds, NO_BUILDS } from '../workspace/dockerfileBuilds';
import { builtByText, contextsFor } from './buildFileLinks';
import { variableBeforeStage, variableHover } from './variables';

export interface StageHover {
  markdown: string;
  range: Range;
}

export function hover(model: StageModel, pos: Position, builds: DockerfileBuilds = NO_BUILDS, lineText?: string): StageHover | undefined {
  if (variableBeforeStage(model, pos)) return variableHover(model, pos, lineText);
  const declared = model.declarationAt(pos);
  if (declared?.nameRange) return { markdown: withBuilds(describeStage(model, declared), declared, builds), range: declared.nameRange };
  const ref = model.refAt(pos);
  if (!ref) return undefined;
  let markdown = describeRef(model, ref);
  if (markdown === undefined) return undefined;
  const res = ref.resolution;
  if (res.kind === 'stage') markdown = withBuilds(markdown, model.stages[res.stage], builds);
  // A name that a build of another file gives a named context: that build reads the context instead.
  for (const { context, entry } of ref.numeric ? [] : contextsFor(ref, builds)) {
    markdown += `\n\n${KIND_LABEL[entry.kind]} ${code(entry.label)} gives ${code(context.name)} as a named context (${code(context.value)}): its build uses that instead.`;
  }
  return { markdown, range: ref.range };
}

/** A stage's hover from elsewhere (a target in a build file that builds it). */
export function stageHover(model: StageModel, stage: Stage, builds: DockerfileBuilds = NO_BUILDS): string {
  return withBuilds(describeStage(model, stage), stage, builds);
}

/** The stage's description, with who else builds it by name. */
function withBuilds(markdown: string, stage: Stage, builds: DockerfileBuilds): string {
  const by = builtByText(stage, builds);
  return by ? `${markdown}\n\n${by[0].toUpperCase()}${by.slice(1)}.` : markdown;
}

function describeRef(model: StageModel, ref: StageRef): string | undefined {
  const res = ref.resolution;
  switch (res.kind) {
    case 'stage': {
      // A problem (self, later, cycle) is the diagnostic's to say; the hover says what the stage is.
      const how = ref.numeric ? ` by index` : '';
      return [`${code(refText(ref))} names stage ${res.stage}${how}.`, describeStage(model, model.stages[res.stage])].join('\n\n');
    }
    case 'image':
      return describeImage(model, ref);
    case 'variable':
      return describeVariable(model, ref, res.candidates, res.withDefaults);
    case 'deferred':
      if (res.stage !== undefined) {
        const here = `${code(refText(ref))} runs (ONBUILD) in the build of every stage built \`FROM\` ${name(model.stages[ref.owner])}; in this file it names stage ${res.stage}.`;
        return [here, describeStage(model, model.stages[res.stage])].join('\n\n');
      }
      return `${code(refText(ref))} is resolved when an image is built \`FROM\` this one (ONBUILD), not in this file.`;
    case 'invalid':
      // Each of these is a diagnostic's, which the editor shows beside the hover: the hover adds
      // only what the diagnostic does not say.
      return res.reason === 'index-out-of-range' ? `Stage indices here: ${stageCountText(model)}.` : namableStagesText(model, ref);
  }
}

/** The stages a `--from` or `from=` at this place can name without an error: the named earlier ones. */
function namableStagesText(model: StageModel, ref: StageRef): string {
  const earlier = model.stages.slice(0, ref.owner).filter((s) => s.key !== undefined && model.stageByKey.get(s.key) === s.index);
  if (earlier.length === 0) return 'No stage before this one has a name it could be copied from by.';
  const shown = earlier.slice(-8).map((s) => `${code(s.key!)} (line ${s.syntax.from.range.start.line + 1})`);
  return `Stages ${ref.kind === 'mount' ? '`from=`' : '`--from`'} can name here: ${earlier.length > 8 ? '…, ' : ''}${shown.join(', ')}.`;
}

function describeImage(model: StageModel, ref: StageRef): string {
  if (ref.value === '') return 'Empty `from=`: the mount names no stage.';
  // A bare name that matches no stage is UnknownStageReference's diagnostic: say what it could be instead.
  if ((ref.kind === 'copy' || ref.kind === 'mount') && ref.value !== 'scratch' && !looksLikeImageReference(ref.value)) return namableStagesText(model, ref);
  const lines: string[] = [];
  const where = ref.kind === 'from' ? 'No earlier stage is named' : 'No stage is named';
  lines.push(`${where} ${code(ref.value)}: BuildKit uses the image ${code(ref.value)}${ref.value === 'scratch' ? ' (the empty image)' : ''}.`);
  if (ref.kind === 'from') {
    const key = ref.value.toLowerCase();
    const earlierSameKey = model.stages.slice(0, ref.owner).filter((s) => s.key === key);
    const later = model.stages.slice(ref.owner).find((s) => s.key === ref.value);
    if (earlierSameKey.length > 0 && key !== ref.value) {
      const stage = earlierSameKey[earlierSameKey.length - 1];
      lines.push(`\`FROM\` matches stage names exactly as BuildKit stores them, in lower case: write ${code(key)} for stage ${stage.index}.`);
    } else if (later?.index === ref.owner) {
      lines.push(`That is this stage's own name: \`FROM\` only sees earlier stages.`);
    } else if (later) {
      lines.push(`A stage ${code(later.name ?? ref.value)} is defined later (stage ${later.index}), but \`FROM\` only sees earlier stages.`);
    }
  }
  return lines.join('\n\n');
}

function describeVariable(model: StageModel, ref: StageRef, candidates: number[], withDefaults: number | undefined): string {
  const lines = [`${code(ref.value)} depends on build arguments: which stage or image it names is known only at build time.`];
  if (candidates.length > 0) {
    lines.push(`Earlier stages it could name: ${candidates.map((c) => `${name(model.stages[c])} (stage ${c})`).join(', ')}.`);
  } else if (variablePattern(ref.value) !== undefined) {
    lines.push('No earlier stage matches it: it names an image.');
  } else {
    lines.push('It may name any earlier stage or an image.');
  }
  if (withDefaults !== undefined) lines.push(`With the declared defaults: ${name(model.stages[withDefaults])}.`);
  return lines.join('\n\n');
}

/** Name, index, base chain, users and whether the default target builds the stage. */
function describeStage(model: StageModel, stage: Stage): string {
  const title = stage.name !== undefined ? `**Stage ${code(stage.name)}** (stage ${stage.index})` : `**Stage ${stage.index}** (unnamed)`;
  const parts = [title, `Base: ${code(baseChain(model, stage))}`, usersText(model, stage), targetText(model, stage)];
  return parts.join('\n\n');
}

/** `test ← build ← golang:1.22`: FROM bases followed through stages to the image. */
function baseChain(model: StageModel, stage: Stage): string {
  const chain = [model.displayName(stage)];
  let current = stage;
  for (;;) {
    const base = current.baseRef;
    if (!base) {
      chain.push('?');
      break;
    }
    const res = base.resolution;
    // FROM only sees earlier stages, so the chain always ends; the index check keeps it so.
    if (res.kind === 'stage' && res.stage < current.index) {
      current = model.stages[res.stage];
      chain.push(model.displayName(current));
      continue;
    }
    chain.push(base.value);
    break;
  }
  return chain.join(' ← ');
}

function usersText(model: StageModel, stage: Stage): string {
  const byOwner = new Map<number, string[]>();
  for (const r of stage.incoming) {
    // A stage's references to itself are errors, described with the reference.
    if (r.owner === stage.index) continue;
    const hows = byOwner.get(r.owner) ?? [];
    hows.push(howLabel(r));
    byOwner.set(r.owner, hows);
  }
  const possible = stage.usedBy.filter((i) => i !== stage.index && !byOwner.has(i));
  let text: string;
  if (byOwner.size === 0) {
    text = 'Not used by other stages.';
  } else {
    const list = [...byOwner.keys()]
      .sort((a, b) => a - b)
      .map((owner) => `${name(model.stages[owner])} (${countLabels(byOwner.get(owner)!)})`);
    const count = byOwner.size === 1 ? '1 stage' : `${byOwner.size} stages`;
    text = `Used by ${count}: ${list.join(', ')}.`;
  }
  if (possible.length > 0) {
    text += ` Possibly also by ${possible.map((i) => name(model.stages[i])).join(', ')} (build arguments or ONBUILD).`;
  }
  return text;
}

function targetText(model: StageModel, stage: Stage): string {
  const target = model.targetIndex;
  if (target === undefined) return '';
  if (target === stage.index) return 'The default target (last stage): `docker build` builds it.';
  const targetName = name(model.stages[target]);
  if (stage.reachable) return `Built by the default target ${targetName}.`;
  const hint = stage.name !== undefined ? ` Build it with \`--target ${stage.name}\`.` : '';
  return `Not built by the default target ${targetName}.${hint}`;
}

function howLabel(r: StageRef): string {
  switch (r.kind) {
    case 'from': return 'FROM';
    case 'copy': return 'COPY --from';
    case 'mount': return 'mount';
    case 'add': return 'ADD --from';
    case 'onbuild': return 'ONBUILD';
  }
}

/** `FROM, COPY --from ×2` from `[FROM, COPY --from, COPY --from]`. */
function countLabels(labels: string[]): string {
  const counts = new Map<string, number>();
  for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
  return [...counts].map(([l, n]) => (n > 1 ? `${l} ×${n}` : l)).join(', ');
}

function refText(ref: StageRef): string {
  switch (ref.kind) {
    case 'from': return `FROM ${ref.value}`;
    case 'copy': return `--from=${ref.value}`;
    case 'add': return `--from=${ref.value}`;
    case 'mount': return `from=${ref.value}`;
    case 'onbuild': return `--from=${ref.value}`;
  }
}

function stageCountText(model: StageModel): string {
  const n = model.stages.length;
  return n === 1 ? 'the only stage is 0' : `0 to ${n - 1}`;
}

function name(stage: Stage): string {
  return code(stage.name ?? `stage ${stage.index}`);
}

/** Inline code that survives backticks in the text. */
function code(text: string): string {
  if (!text.includes('`')) return `\`${text}\``;
  return `\`\` ${text} \`\``;
}
