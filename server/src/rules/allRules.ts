/** Every diagnostic rule, in the order their findings are listed. */
import { Rule } from './rule';
import { noStages } from './noStages';
import { instructionBeforeFrom } from './instructionBeforeFrom';
import { fromArguments } from './fromArguments';
import { invalidBaseImage } from './invalidBaseImage';
import { invalidStageName } from './invalidStageName';
import { circularStageReference } from './circularStageReference';
import { laterStageReference } from './laterStageReference';
import { stageIndexOutOfRange } from './stageIndexOutOfRange';
import { addFromFlag } from './addFromFlag';
import { variableInFromFlag } from './variableInFromFlag';
import { emptyFromFlag } from './emptyFromFlag';
import { invalidFromFlag } from './invalidFromFlag';
import { unknownStageReference } from './unknownStageReference';
import { duplicateStageName } from './duplicateStageName';
import { reservedStageName } from './reservedStageName';
import { stageNameCasing } from './stageNameCasing';
import { fromAsCasing } from './fromAsCasing';
import { undefinedArgInFrom } from './undefinedArgInFrom';
import { undefinedVar } from './undefinedVar';
import { consistentInstructionCasing } from './consistentInstructionCasing';
import { noEmptyContinuation } from './noEmptyContinuation';
import { jsonArgsRecommended } from './jsonArgsRecommended';
import { maintainerDeprecated } from './maintainerDeprecated';
import { workdirRelativePath } from './workdirRelativePath';
import { multipleInstructionsDisallowed } from './multipleInstructionsDisallowed';
import { legacyKeyValueFormat } from './legacyKeyValueFormat';
import { secretsUsedInArgOrEnv } from './secretsUsedInArgOrEnv';
import { invalidDefaultArgInFrom } from './invalidDefaultArgInFrom';
import { fromPlatformFlagConstDisallowed } from './fromPlatformFlagConstDisallowed';
import { redundantTargetPlatform } from './redundantTargetPlatform';
import { exposeProtoCasing } from './exposeProtoCasing';
import { exposeInvalidFormat } from './exposeInvalidFormat';
import { copyIgnoredFile } from './copyIgnoredFile';
import { invalidDefinitionDescription } from './invalidDefinitionDescription';
import { unreachableStage } from './unreachableStage';
import { numericStageReference } from './numericStageReference';
import { baseDependsOnArg } from './baseDependsOnArg';

import { toolchainInFinalStage } from './advisor/toolchainInFinalStage';
import { copyAllBeforeInstall } from './advisor/copyAllBeforeInstall';
import { toolchainCopiedToFinalStage } from './advisor/toolchainCopiedToFinalStage';
import { builderPattern } from './advisor/builderPattern';

export const ALL_RULES: readonly Rule[] = [
  noStages,
  instructionBeforeFrom,
  fromArguments,
  invalidBaseImage,
  invalidStageName,
  circularStageReference,
  laterStageReference,
  stageIndexOutOfRange,
  addFromFlag,
  variableInFromFlag,
  emptyFromFlag,
  invalidFromFlag,
  unknownStageReference,
  duplicateStageName,
  reservedStageName,
  stageNameCasing,
  // Before FromAsCasing: its fix of a FROM writes the AS too, and fix-all takes it first.
  consistentInstructionCasing,
  fromAsCasing,
  undefinedArgInFrom,
  undefinedVar,
  noEmptyContinuation,
  jsonArgsRecommended,
  maintainerDeprecated,
  workdirRelativePath,
  multipleInstructionsDisallowed,
  legacyKeyValueFormat,
  secretsUsedInArgOrEnv,
  invalidDefaultArgInFrom,
  fromPlatformFlagConstDisallowed,
  redundantTargetPlatform,
  exposeProtoCasing,
  exposeInvalidFormat,
  copyIgnoredFile,
  invalidDefinitionDescription,
  unreachableStage,
  numericStageReference,
  baseDependsOnArg,
  // The multi-stage advisor (rules/advisor/): hints, after every other finding.
  toolchainInFinalStage,
  copyAllBeforeInstall,
  toolchainCopiedToFinalStage,
  builderPattern,
];
