/**
 * Bounded cost on every input: each family of pathological Dockerfiles (test/support/
 * pathological.ts) is generated at a size n and at 4n, and every editor feature runs on both
 * (diagnostics, definition, references, highlights, rename, completion, hover, outline, folding,
 * CodeLens, code actions and fix-all, semantic tokens, the stage graph). Four times the input may
 * cost at most about four times the CPU time and retained heap; the bound is generous (ten times,
 * with a floor for times too small to measure) so that a busy machine does not fail it, while a
 * quadratic path (sixteen times) does.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import * as v8 from 'v8';
import * as vm from 'vm';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { Position } from '../../server/src/analysis/positions';
import { StageModel } from '../../server/src/analysis/stageModel';
import { fixAllEdits, fixesFor, nameStageRefactor } from '../../server/src/rules/codeActions';
import { stageLens } from '../../server/src/features/codeLens';
import { completions } from '../../server/src/features/completion';
import { definition } from '../../server/src/features/definition';
import { documentHighlights } from '../../server/src/features/documentHighlight';
import { documentSymbols } from '../../server/src/features/documentSymbols';
import { foldingRanges } from '../../server/src/features/foldingRanges';
import { hover } from '../../server/src/features/hover';
import { references } from '../../server/src/features/references';
import { prepareRename, rename } from '../../server/src/features/rename';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { stageGraph } from '../../server/src/features/stageGraph';
import { findingsFor } from '../../server/src/rules/runRules';
import { SourceText } from '../../server/src/edits/sourceText';
import { FAMILIES } from '../support/pathological';

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** The size each family is measured at, and four times it. */
const N = 1000;
const RATIO_BOUND = 10;
/** Below this many milliseconds at 4n, a time is noise, not a trend. */
const TIME_FLOOR_MS = 60;
/** Below this many bytes at 4n, a heap is noise, not a trend. */
const HEAP_FLOOR = 4 * 1024 * 1024;

/** Up to a dozen places a user may put the cursor: on references, on names, at the ends. */
function positions(model: StageModel, text: string): Position[] {
  const out: Position[] = [{ line: 0, character: 0 }, { line: model.lineCount - 1, character: 0 }];
  const refs = model.refs;
  for (let k = 0; k < 6 && refs.length > 0; k++) out.push(refs[Math.floor((k * refs.length) / 6)].range.start);
  const named = model.stages.filter((s) => s.nameRange);
  for (let k = 0; k < 4 && named.length > 0; k++) out.push(named[Math.floor((k * named.length) / 4)].nameRange!.end);
  const lines = text.split('\n');
  return out.map((p) => ({ line: p.line, character: Math.min(p.character, (lines[p.line] ?? '').length) }));
}

/** Everything an editor asks of the server on a freshly opened document. */
function everyFeature(text: string): StageModel {
  const model = analyzeText(text);
  const findings = findingsFor(model);
  const source = new SourceText(text);
  const lines = text.split('\n');
  for (const p of positions(model, text)) {
    definition(model, p);
    references(model, p, true);
    documentHighlights(model, p);
    if (!('error' in prepareRename(model, p))) rename(model, p, 'renamed-stage');
    completions(model, p, (lines[p.line] ?? '').slice(0, p.character));
    hover(model, p);
    // Code actions at the cursor: the fixes of the findings there, and "Name this stage".
    for (const f of findings) if (f.range.start.line === p.line) fixesFor(model, f, source);
    nameStageRefactor(model, { start: p, end: p });
  }
  fixAllEdits(model, findings, source);
  documentSymbols(model);
  foldingRanges(model);
  for (const s of model.stages) stageLens(model, s, 'file:///Dockerfile');
  semanticTokens(model);
  stageGraph(model);
  return model;
}

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The least CPU time of three runs. */
function measureTime(text: string): number {
  let ms = Infinity;
  for (let i = 0; i < 3; i++) {
    const start = cpuMs();
    everyFeature(text);
    ms = Math.min(ms, cpuMs() - start);
  }
  return ms;
}

/** The heap a model keeps (with what the features cached on it): four kept at once, averaged. */
function measureHeap(text: string): number {
  gc();
  const before = process.memoryUsage().heapUsed;
  const kept = [everyFeature(text), everyFeature(text), everyFeature(text), everyFeature(text)];
  gc();
  const heap = (process.memoryUsage().heapUsed - before) / kept.length;
  assert.equal(kept.length, 4);
  return Math.max(0, heap);
}

for (const [family, generate] of Object.entries(FAMILIES)) {
  test(`bounded cost: ${family}`, (t) => {
    const small = generate(N);
    const large = generate(4 * N);
    // Warm the code paths at both sizes first.
    everyFeature(small);
    everyFeature(large);
    const a = { ms: measureTime(small), heap: measureHeap(small) };
    const b = { ms: measureTime(large), heap: measureHeap(large) };
    const what = `${family}: n=${N} (${small.length} chars) ${a.ms.toFixed(1)} ms, ${(a.heap / 1e6).toFixed(1)} MB; 4n ${b.ms.toFixed(1)} ms, ${(b.heap / 1e6).toFixed(1)} MB`;
    t.diagnostic(what);
    if (b.ms >= TIME_FLOOR_MS) assert.ok(b.ms <= RATIO_BOUND * Math.max(a.ms, TIME_FLOOR_MS / 4), `time grows faster than the input: ${what}`);
    if (b.heap >= HEAP_FLOOR) assert.ok(b.heap <= RATIO_BOUND * Math.max(a.heap, HEAP_FLOOR / 4), `heap grows faster than the input: ${what}`);
  });
}
