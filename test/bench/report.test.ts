/**
 * The benchmark's goals (report.ts) judged on made-up results: each goal must read the part of the
 * run it is about, and the real-file goal must name every file and measure where ours is not faster.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { ColdStartResult, REAL_MEASURES, RealFileResult, RealFileServer, ServerRun, SizeResult } from './measures';
import { BenchReport, Goal, evaluateGoals, toMarkdown } from './report';
import { summarize } from './stats';

function run(label: string, medians: Record<string, number>, notOffered: string[] = []): ServerRun {
  return {
    label, command: [], pid: 1, initializeMs: 1, sync: 'incremental',
    notRun: Object.fromEntries(notOffered.map((m) => [m, 'n/a (not offered)'])),
    warmup: [],
    measured: [{ samples: medians, answers: {}, errors: {}, checks: {}, staleAfterChange: 0 }],
    stats: Object.fromEntries(Object.entries(medians).map(([m, ms]) => [m, summarize([ms])])),
    memory: null, serverRequests: {}, stderrTail: [],
  };
}

function size(stages: number, ours: Record<string, number>, theirs: Record<string, number>, name?: string): SizeResult {
  return {
    ...(name ? { name, source: `${name}__Dockerfile` } : {}),
    stages, lines: stages * 20, bytes: stages * 700, fixture: 'f',
    target: { stageName: 's', name: { line: 0, character: 0 }, afterFrom: { line: 0, character: 0 }, declarationLine: 0, occurrences: 2, edit: { line: 0, character: 0 } },
    servers: { ours: run('ours', ours), 'docker-langserver': run('docker-langserver', theirs, ['references', 'codeLens']) },
    bursts: {}, burstNotes: [], wallSeconds: 1,
  };
}

function realServer(medians: Record<string, number>, notOffered: string[] = []): RealFileServer {
  return { samples: Object.fromEntries(Object.entries(medians).map(([m, ms]) => [m, [ms]])), medians, answers: {}, errors: {}, notOffered };
}

function realFile(file: string, ours: Record<string, number>, theirs: Record<string, number>): RealFileResult {
  return {
    file, lines: 10, bytes: 200, stages: 2,
    target: { kind: 'from-flag', name: 's', at: { line: 0, character: 0 }, edit: { line: 0, character: 0 }, editText: 'x' },
    servers: { ours: realServer(ours), 'docker-langserver': realServer(theirs, ['codeLens']) },
  };
}

/** Every real-file measure at `ms`; docker-langserver has no codeLens. */
const everywhere = (ms: number, except: string[] = []) => Object.fromEntries(REAL_MEASURES.filter((m) => !except.includes(m)).map((m) => [m, ms]));

function report(parts: Partial<BenchReport>): BenchReport {
  return {
    date: '2026-01-01T00:00:00.000Z', command: 'npm run bench',
    machine: { cpuModel: 'cpu', cores: 2, memoryMB: 1024, kernel: 'k', node: 'v20', platform: 'linux x64', loadAverageStart: [0], loadAverageEnd: [0] },
    options: { iterations: 10, warmup: 1, oursOnly: false, realOnly: false, budgetSeconds: 150, minTheirs: 5, bursts: 5, burstEdits: 20, burstGapMs: 20, initializeStarts: 10, oursArgv: ['node', 'dist/server.js', '--stdio'], theirsArgv: ['node', 'docker-langserver', '--stdio'], serverFile: 'dist/server.js', snapshot: false },
    networkIsolated: true, serverBytes: 1000, serverChanged: false, serverMinified: true, theirsVersion: '0.15.0',
    initialize: { ours: summarize([108]), 'docker-langserver': summarize([200]) }, initializeSamples: {},
    nodeStartMs: summarize([60]), floorInitialize: summarize([100]),
    corpus: { dir: '../shared/corpus/real', found: true },
    sizes: [], goals: [], wallSeconds: 1,
    ...parts,
  };
}

function goal(goals: Goal[], start: string): Goal {
  const g = goals.find((x) => x.goal.startsWith(start));
  assert.ok(g, `no goal starting with "${start}"`);
  return g;
}

test('open→diagnostics goals: ≥1.5× at 10 stages and on moby, ≥5× at 1000, each in its own table', () => {
  const goals = evaluateGoals(report({
    sizes: [
      size(10, { 'open→diagnostics': 4 }, { 'open→diagnostics': 8 }),
      size(59, { 'open→diagnostics': 10 }, { 'open→diagnostics': 12 }, 'moby'),
      size(1000, { 'open→diagnostics': 100, documentSymbol: 6 }, { 'open→diagnostics': 600, documentSymbol: 400 }),
    ],
    floor: { stages: 1000, medians: { documentSymbol: 5 }, bytes: { documentSymbol: 200_000 } },
  }));
  assert.equal(goal(goals, 'open→diagnostics ≥1.5× faster at 10 stages').verdict, 'PASS');
  const moby = goal(goals, "open→diagnostics ≥1.5× faster on moby's Dockerfile");
  assert.deepEqual([moby.verdict, moby.size, moby.row], ['FAIL', 'moby', 'open→diagnostics']);
  assert.equal(goal(goals, 'open→diagnostics ≥5× faster at 1000 stages').verdict, 'PASS');
  const floor = goal(goals, 'documentSymbol at 1000 stages within 1.25×');
  assert.deepEqual([floor.verdict, floor.size, floor.row], ['PASS', '1000', 'documentSymbol']);
  assert.match(floor.detail, /1\.20×/);

  const md = toMarkdown({ ...report({}), sizes: [size(59, { 'open→diagnostics': 10 }, { 'open→diagnostics': 12 }, 'moby')], goals });
  assert.match(md, /## moby's Dockerfile \(moby__Dockerfile: 59 stages/);
  assert.match(md, /\| open→diagnostics \| 10 \| 12 \| 1\.2× \| ≥1\.5× \| FAIL \|/);
});

test('initialize within 10 ms of its floor; cold start faster than docker-langserver and near its floor', () => {
  const cold = (ours: number): ColdStartResult => {
    const samples = { ours: [ours], 'docker-langserver': [150], 'vscode-languageserver alone': [90] };
    return { file: 'f', lines: 60, samples, initialize: {}, stats: Object.fromEntries(Object.entries(samples).map(([l, xs]) => [l, summarize(xs)])), errors: {} };
  };
  let goals = evaluateGoals(report({ coldStart: cold(105) }));
  const init = goal(goals, 'initialize within 10 ms');
  assert.equal(init.verdict, 'PASS');
  assert.match(init.detail, /\+8\.0 ms/);
  assert.equal(goal(goals, 'cold start').verdict, 'PASS');

  goals = evaluateGoals(report({ initialize: { ours: summarize([111]) }, coldStart: cold(140) }));
  assert.equal(goal(goals, 'initialize within 10 ms').verdict, 'FAIL');
  const slow = goal(goals, 'cold start');
  assert.equal(slow.verdict, 'FAIL');
  assert.match(slow.detail, /floor 90 ms: \+50 ms/);
});

test('real corpus: every file and measure where ours is not faster is an exception', () => {
  const fast = realFile('fast', everywhere(1), everywhere(2, ['codeLens']));
  const slower = realFile('slower', { ...everywhere(1), 'change→diagnostics': 5, codeLens: 12 }, everywhere(2, ['codeLens']));
  const real = { corpus: '../shared/corpus/real', corpusFiles: 2, iterations: 3, warmup: 1, files: [fast], peakRssMB: {}, restarts: [], wallSeconds: 1 };

  assert.equal(goal(evaluateGoals(report({ real })), 'real corpus').verdict, 'PASS');

  const failed = goal(evaluateGoals(report({ real: { ...real, files: [fast, slower] } })), 'real corpus');
  assert.equal(failed.verdict, 'FAIL');
  assert.match(failed.detail, /^2 exceptions on 1 file \(/);
  assert.match(failed.detail, /change→diagnostics \(1\): slower \(ours 5\.0 ms vs 2\.0 ms\)/);
  assert.match(failed.detail, /codeLens \(1\): slower \(ours 12 ms, not < 10 ms\)/);

  const none = goal(evaluateGoals(report({ corpus: { dir: '../shared/corpus/real', found: false } })), 'real corpus');
  assert.deepEqual([none.verdict, none.detail], ['NOT JUDGED', 'the real-file table was left out: no corpus at ../shared/corpus/real']);
});
