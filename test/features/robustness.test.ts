/**
 * Nothing may throw while the user types: every feature runs on every prefix of every feature
 * fixture (a file cut at each character, as if typed up to there), with the cursor at the end,
 * and at every position of the whole text, with `\n` and with `\r\n` line endings.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { Position } from '../../server/src/analysis/positions';
import { StageModel } from '../../server/src/analysis/stageModel';
import { completions } from '../../server/src/features/completion';
import { documentSymbols } from '../../server/src/features/documentSymbols';
import { foldingRanges } from '../../server/src/features/foldingRanges';
import { hover } from '../../server/src/features/hover';
import { loadSuite } from '../support/fixtures';
import { toCrlf } from './featureCases';

const texts = [...new Set(['completion', 'hover', 'symbols', 'folding'].flatMap((s) => loadSuite(s).map((c) => c.text)))];

function atPosition(model: StageModel, lines: string[], pos: Position): void {
  completions(model, pos, lines[pos.line].replace(/\r$/, '').slice(0, pos.character));
  hover(model, pos);
}

function endOf(text: string): { lines: string[]; pos: Position } {
  const lines = text.split('\n');
  const last = lines.length - 1;
  return { lines, pos: { line: last, character: lines[last].length } };
}

test('every prefix of every fixture, cursor at the end', () => {
  let runs = 0;
  for (const full of texts) {
    for (const text of [full, toCrlf(full)]) {
      for (let cut = 0; cut <= text.length; cut++) {
        const prefix = text.slice(0, cut);
        const model = analyzeText(prefix);
        documentSymbols(model);
        foldingRanges(model);
        const { lines, pos } = endOf(prefix);
        atPosition(model, lines, pos);
        runs++;
      }
    }
  }
  assert.ok(runs > 1000, `ran ${runs} prefixes`);
});

test('every position of every fixture', () => {
  for (const full of texts) {
    for (const text of [full, toCrlf(full)]) {
      const model = analyzeText(text);
      const lines = text.split('\n');
      lines.forEach((line, l) => {
        for (let ch = 0; ch <= line.length; ch++) atPosition(model, lines, { line: l, character: ch });
      });
    }
  }
});
