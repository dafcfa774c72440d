/** What the benchmark measures, and the shape of its raw results (written as JSON). */
import { Memory } from './procfs';
import { Summary } from './stats';

/** Requests timed after the edit, in this order. */
export const REQUESTS = [
  { name: 'definition', method: 'textDocument/definition' },
  { name: 'references', method: 'textDocument/references' },
  { name: 'prepareRename', method: 'textDocument/prepareRename' },
  { name: 'rename', method: 'textDocument/rename' },
  { name: 'documentHighlight', method: 'textDocument/documentHighlight' },
  { name: 'hover', method: 'textDocument/hover' },
  { name: 'completion', method: 'textDocument/completion' },
  { name: 'codeLens', method: 'textDocument/codeLens' },
  { name: 'documentSymbol', method: 'textDocument/documentSymbol' },
  { name: 'foldingRange', method: 'textDocument/foldingRange' },
  { name: 'semanticTokens', method: 'textDocument/semanticTokens/full' },
] as const;
export type RequestName = (typeof REQUESTS)[number]['name'];

export const OPEN = 'open→diagnostics';
export const CHANGE = 'change→diagnostics';
export const CPU = 'server CPU/iteration';
export const WALL = 'iteration wall';

/** Every per-iteration measure, in table order. */
export const MEASURES: readonly string[] = [OPEN, CHANGE, ...REQUESTS.map((r) => r.name), CPU];

/** Requests with the "≥50× faster and < 10 ms median" goal at 1000 stages. */
export const FAST_REQUEST_GOALS: readonly RequestName[] = ['definition', 'references', 'rename', 'documentHighlight', 'hover', 'completion', 'codeLens', 'documentSymbol'];

export interface Checks {
  /** definition lands on the `AS <name>` line */
  definition?: boolean;
  /** references (declaration included) = occurrences of the name */
  references?: boolean;
  /** rename edits = occurrences of the name */
  rename?: boolean;
}

export interface IterationResult {
  /** ms per measure; missing when not run, not offered or failed */
  samples: Record<string, number>;
  /** a short description of each answer ("12 locations", "3 diagnostics", ...) */
  answers: Record<string, string>;
  errors: Record<string, string>;
  checks: Checks;
  /** publishes for another version that arrived while waiting for the edit's diagnostics */
  staleAfterChange: number;
}

export interface ServerRun {
  label: string;
  command: string[];
  pid: number;
  serverInfo?: { name: string; version?: string };
  initializeMs: number;
  sync: string;
  /** why a measure was not run, when it was not (not offered, skipped, ...) */
  notRun: Record<string, string>;
  warmup: IterationResult[];
  measured: IterationResult[];
  stats: Record<string, Summary>;
  /** VmHWM etc. after the iterations (before any typing burst) */
  memory: Memory | null;
  stoppedBy?: string;
  fatal?: string;
  serverRequests: Record<string, number>;
  stderrTail: string[];
}

export interface BurstResult {
  label: string;
  edits: number;
  gapMs: number;
  versioned: boolean;
  /** last didChange sent → diagnostics for the last version (unversioned: the publish answering the last change) */
  lastEditToDiagnosticsMs: number | null;
  publishes: number;
  /** versions in arrival order (undefined → null) */
  versions: (number | null)[];
  /** publishes for an older version that arrived after one for a newer version */
  stale: number;
  error?: string;
}

export interface SizeResult {
  /** a real file measured as a size ('moby'); generated sizes have none */
  name?: string;
  /** that real file's name in the corpus */
  source?: string;
  stages: number;
  lines: number;
  bytes: number;
  fixture: string;
  target: { stageName: string; name: { line: number; character: number }; afterFrom: { line: number; character: number }; declarationLine: number; occurrences: number; edit: { line: number; character: number } };
  servers: Record<string, ServerRun>;
  bursts: Record<string, BurstResult[]>;
  burstNotes: string[];
  wallSeconds: number;
}

/** Requests whose answers grow with the file: the ones whose transport floor is measured. */
export const FLOOR_REQUESTS: readonly string[] = ['completion', 'codeLens', 'documentSymbol', 'foldingRange'];

/** Medians of a stub server sending our answers from memory (test/bench/stubServer.ts). */
export interface FloorResult {
  stages: number;
  medians: Record<string, number | undefined>;
  /** Size of each answer's JSON */
  bytes: Record<string, number>;
}

/** Requests timed on every file of the real corpus, in this order. */
export const REAL_REQUESTS: readonly RequestName[] = ['definition', 'rename', 'completion', 'hover', 'documentSymbol', 'codeLens'];

/** The real-file table's measures, in table order. */
export const REAL_MEASURES: readonly string[] = [OPEN, CHANGE, ...REAL_REQUESTS];

/** One server on one real file. */
export interface RealFileServer {
  /** ms per measure, one per measured iteration (warm-up left out) */
  samples: Record<string, number[]>;
  medians: Record<string, number | null>;
  /** what the first measured iteration got (see answers.ts) */
  answers: Record<string, string>;
  /** the first failure per measure (timeout, server exit, no diagnostics) */
  errors: Record<string, string>;
  /** measures the server does not offer */
  notOffered: string[];
  /** definition landed on the stage's `AS` line in every iteration (stage references only) */
  definitionOk?: boolean;
}

export interface RealFileResult {
  /** the corpus file's name */
  file: string;
  lines: number;
  bytes: number;
  stages: number;
  target: { kind: string; name: string; at: { line: number; character: number }; declarationLine?: number; edit: { line: number; character: number }; editText: string };
  servers: Record<string, RealFileServer>;
}

export interface RealFilesResult {
  /** the corpus folder, relative to the project root */
  corpus: string;
  /** files in the corpus (the table may hold fewer: --real-files) */
  corpusFiles: number;
  iterations: number;
  warmup: number;
  files: RealFileResult[];
  /** peak RSS per server after the whole table (MB) */
  peakRssMB: Record<string, number | null>;
  /** servers started again after they exited, and why */
  restarts: string[];
  wallSeconds: number;
}

/** spawn → initialize → didOpen of one small real file → its diagnostics, per server. */
export interface ColdStartResult {
  /** the corpus file's name, or a description of the generated file */
  file: string;
  lines: number;
  /** spawn → first publishDiagnostics for the file, ms, per start */
  samples: Record<string, number[]>;
  /** spawn → initialize result within the same starts */
  initialize: Record<string, number[]>;
  stats: Record<string, Summary>;
  errors: Record<string, string>;
}
