import { Stage, StageModel, StageRef } from '../../analysis/stageModel';
import { parentStage } from '../stageChain';
import { Rule, quote } from '../rule';
import { stageLabel } from '../referenceDescriptions';
import { copyFacts, joinPath, runCommands } from './commands';
import { DEPENDENCY_INSTALLS, TOOLCHAINS, TOOLCHAIN_DIRECTORIES, Toolchain, toolchainOf } from './ecosystems';

/**
 * The final stage copies more than artifacts: a whole stage (`COPY --from=build / /`) built on a
 * toolchain image that compiles in it, a toolchain's own folder (`/usr/local/go`, `/root/.cargo`, …), or
 * the `node_modules` of a stage that installed dev dependencies for a build. The toolchain (or
 * the dev dependencies) then ship in the image the stages were meant to keep small.
 * Information, not a warning: an image meant as a development environment does this on purpose.
 * Only the default target (the last stage) is looked at, and only stages of this file are
 * followed; `COPY --from=<image>` of a toolchain folder counts too.
 */
export const toolchainCopiedToFinalStage: Rule = {
  code: 'ToolchainCopiedToFinalStage',
  buildkitCheck: false,
  advisor: true,
  severity: 'information',
  description: 'The final stage copies a whole toolchain stage, a toolchain folder or a build\'s node_modules with its dev dependencies: copy only the artifacts.',
  check(model, report) {
    const target = model.targetIndex;
    if (target === undefined) return;
    const stage = model.stages[target];
    const refs = copyRefsOf(stage);
    for (const ins of stage.syntax.instructions) {
      if (ins.keyword !== 'COPY' || !ins.facts?.fromFlag || !ins.facts.words) continue;
      const ref = refs.get(ins.range.start.line);
      if (!ref) continue;
      const from = ref.resolution.kind === 'stage' && !ref.resolution.problem ? model.stages[ref.resolution.stage] : undefined;
      if (!from && ref.resolution.kind !== 'image') continue;
      const fromLabel = from ? stageLabel(model, from.index) : `the image ${quote(ref.value)}`;
      const sources = copyFacts(ins, model.escapeChar)?.sources ?? [];
      ins.facts.words.forEach((word, i) => {
        const source = sources[i] ?? word.text;
        if (source.includes('$')) return;
        const path = joinPath('/', source);
        if (path === '/' && from) {
          const toolchain = toolchainUnder(model, from);
          if (!toolchain) return;
          report({
            message: `COPY --from=${ref.value} ${source} copies all of ${fromLabel}, where the ${toolchain.label} build ran, into the final image: the toolchain, the sources and the build's caches ship with it. Copy only what the program needs, e.g. COPY --from=${ref.value} /out/app /usr/local/bin/app.`,
            range: word.range,
            data: { ecosystem: toolchain.ecosystem },
          });
          return;
        }
        const dir = TOOLCHAIN_DIRECTORIES.find((d) => path === d);
        if (dir) {
          report({
            message: `${source} is a toolchain's folder: copied from ${fromLabel} into the final image, it ships the toolchain or its caches. Copy only the built artifacts.`,
            range: word.range,
          });
          return;
        }
        if (from && /(?:^|\/)node_modules\/?$/.test(source) && installsDevDependencies(model, from)) {
          report({
            message: `${source} comes from ${fromLabel}, which installed dev dependencies for its build: the final image ships them. Install production dependencies for the final stage (npm ci --omit=dev in it, or in a stage of its own) and copy those.`,
            range: word.range,
          });
        }
      });
    }
  },
};

/** The `--from` reference of each COPY of a stage, by the COPY's first line (the first flag: BuildKit takes one). */
function copyRefsOf(stage: Stage): Map<number, StageRef> {
  const refs = new Map<number, StageRef>();
  for (const r of stage.refs) if (r.kind === 'copy' && !refs.has(r.instructionRange.start.line)) refs.set(r.instructionRange.start.line, r);
  return refs;
}

/**
 * The toolchain at the root of a stage's FROM chain, when it is one and the chain compiles with
 * it (a stage that only holds the image is left alone: nothing was built there).
 */
function toolchainUnder(model: StageModel, stage: Stage): Toolchain | undefined {
  const chain: Stage[] = [stage];
  for (let p = parentStage(model, stage); p; p = parentStage(model, p)) chain.push(p);
  const base = chain[chain.length - 1].baseRef;
  if (!base || base.resolution.kind !== 'image') return undefined;
  const toolchain = toolchainOf(base.value);
  if (!toolchain) return undefined;
  return chain.some((s) => s.syntax.instructions.some((i) => runCommands(i).some((c) => toolchain.buildStep.test(c.text)))) ? toolchain : undefined;
}

const NODE = TOOLCHAINS.find((t) => t.ecosystem === 'node')!;
const NODE_INSTALLS = DEPENDENCY_INSTALLS.filter((d) => d.tool === 'npm' || d.tool === 'Yarn' || d.tool === 'pnpm');
/** Flags and commands after which node_modules holds production dependencies only. */
const PRODUCTION_ONLY = /\s(?:--omit[= ]dev|--only[= ]prod(?:uction)?|--production|--prod|-P)\b|^npm\s+prune\b|^yarn\s+workspaces\s+focus\b.*--production|^pnpm\s+prune\b/;

/**
 * Whether the stage (with the stages it is built FROM) installs Node.js dependencies with the
 * dev ones and runs a build: its node_modules then holds the build tools.
 */
function installsDevDependencies(model: StageModel, stage: Stage): boolean {
  let installs = false;
  let builds = false;
  let productionOnly = false;
  for (let s: Stage | undefined = stage; s; s = parentStage(model, s)) {
    for (const ins of s.syntax.instructions) {
      for (const c of runCommands(ins)) {
        if (PRODUCTION_ONLY.test(c.text)) productionOnly = true;
        else if (NODE_INSTALLS.some((d) => d.command.test(c.text))) installs = true;
        if (NODE.buildStep.test(c.text)) builds = true;
      }
    }
  }
  return installs && builds && !productionOnly;
}
