import { Stage, StageModel } from '../../analysis/stageModel';
import { InstructionSyntax } from '../../analysis/syntax';
import { stageLabel } from '../referenceDescriptions';
import { Rule } from '../rule';
import { runCommands } from './commands';
import { EcosystemId, Toolchain, runtimeImageFor, toolchainOf } from './ecosystems';
import { splitBuildStage } from './splitBuildStage';

/**
 * The default target (the last stage) is built FROM a build toolchain image (golang, rust,
 * maven, the .NET SDK, node with a build step, …: ecosystems.ts) and compiles in it, and it runs
 * a program (CMD or ENTRYPOINT): the image that ships holds the compiler, the sources and the
 * build's caches. A hint on its FROM, with the refactoring that splits it into a build stage and
 * a runtime stage on a small base (splitBuildStage.ts).
 *
 * Silent when the last stage is built FROM another stage or a runtime image, compiles nothing,
 * or runs nothing (no CMD or ENTRYPOINT: a development or CI image, which needs its toolchain).
 */
export const toolchainInFinalStage: Rule = {
  code: 'ToolchainInFinalStage',
  buildkitCheck: false,
  advisor: true,
  severity: 'hint',
  description: 'The final stage is built FROM a build toolchain image and compiles in it: compile in a build stage and ship a small runtime stage.',
  check(model, report) {
    const found = toolchainTarget(model);
    if (!found) return;
    const { stage, toolchain, step } = found;
    const runtime = runtimeImageFor(toolchain.ecosystem, stage.baseRef!.value, { staticBinary: true, web: true });
    report({
      message:
        `The default target ${stageLabel(model, stage.index)} is built FROM ${stage.baseRef!.value}, a ${toolchain.label} toolchain image, and compiles in it (line ${step.range.start.line + 1}): ` +
        `the image it makes ships the compiler, the sources and the build's caches. Compile in a build stage and copy the result into a small runtime stage (such as ${runtime.image}).`,
      range: stage.syntax.from.range,
      related: [{ range: step.range, message: `The ${toolchain.label} build runs here, in the final stage` }],
      data: { ecosystem: toolchain.ecosystem },
    });
  },
  fixes(model, finding, source, _scope, options) {
    const found = toolchainTarget(model);
    if (!found || !source || found.stage.syntax.from.range.start.line !== finding.range.start.line) return [];
    const fix = splitBuildStage(model, found.stage, found.toolchain, source, (options?.runtimeImages ?? {}) as Partial<Record<EcosystemId, string>>);
    return fix ? [fix] : [];
  },
};

/** The last stage when it is built FROM a toolchain image, compiles with it and runs a program. */
export function toolchainTarget(model: StageModel): { stage: Stage; toolchain: Toolchain; step: InstructionSyntax } | undefined {
  const target = model.targetIndex;
  if (target === undefined) return undefined;
  const stage = model.stages[target];
  const base = stage.baseRef;
  if (!base || base.resolution.kind !== 'image') return undefined;
  const toolchain = toolchainOf(base.value);
  if (!toolchain) return undefined;
  const instructions = stage.syntax.instructions;
  if (!instructions.some((i) => i.keyword === 'CMD' || i.keyword === 'ENTRYPOINT')) return undefined;
  const step = instructions.find((i) => runCommands(i).some((c) => toolchain.buildStep.test(c.text)));
  return step ? { stage, toolchain, step } : undefined;
}
