/**
 * Everything the protocol layer (protocol/server.ts) runs: the stage model, the rules and the
 * features, with dockerfile-ast under them. server.ts loads this module on first use rather than
 * at start, so that the server answers `initialize` before any of it is evaluated.
 */
export { BuildCancelled, BuildSuperseded, ModelStore, analyzeText } from './analysis/modelStore';
export { findingsFor } from './rules/runRules';
export { SourceText } from './edits/sourceText';
export { definition } from './features/definition';
export { references, stageAtCursor } from './features/references';
export { documentHighlights } from './features/documentHighlight';
export { prepareRename, rename } from './features/rename';
export { completionDetail, completions, documentation as stageDocumentation } from './features/completion';
export { hover, stageHover } from './features/hover';
export { variableCompletions } from './features/variables';
export { documentSymbols } from './features/documentSymbols';
export { foldingRanges } from './features/foldingRanges';
export { lensRange, stageLens } from './features/codeLens';
export { stageGraph } from './features/stageGraph';
export { semanticTokens } from './features/semanticTokens';
export { fixAllEdits, fixesFor, nameStageRefactor } from './rules/codeActions';
export { nameStageFix } from './edits/nameStage';
export { SOURCE, toDiagnostic } from './protocol/convert';
export { WorkspaceIndex } from './workspace/workspaceIndex';
export { buildFileKind, isDockerfileName } from './workspace/buildFiles';
export { NO_BUILDS, dockerfileBuilds } from './workspace/dockerfileBuilds';
export { DockerignoreFiles, isDockerignoreName } from './workspace/dockerignoreFile';
export { BuilderPatternFiles } from './workspace/builderPatternFiles';
export { buildFileFindings, buildFileFixes } from './rules/buildTargets';
export { renameAcrossFiles } from './edits/renameAcrossFiles';
export { builtByText, contextsFor, stageOfTarget, targetAt, targetCompletions, targetsBuilding } from './features/buildFileLinks';
