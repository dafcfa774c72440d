import { comparePositions, rangeContains } from '../analysis/positions';
import { Rule } from './rule';

/**
 * BuildKit lint LegacyKeyValueFormat (dockerfile2llb/convert.go dispatchEnv, dispatchLabel; the
 * pair's NoDelim from parser/line_parsers.go parseNameVal): `ENV key value` (the first word has no
 * `=`) sets one variable to the whole rest of the line, which reads like several words; write
 * `ENV key=value`.
 * Message: `"ENV key=value" should be used instead of legacy "ENV key value" format`, on the pair.
 */
export const legacyKeyValueFormat: Rule = {
  code: 'LegacyKeyValueFormat',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Legacy key/value format with whitespace separator should not be used.',
  check(model, report) {
    for (const stage of model.stages) {
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword !== 'ENV' && ins.keyword !== 'LABEL') continue;
        const pair = ins.facts?.pairs?.[0];
        if (!pair?.legacy) continue;
        const k = ins.keywordText;
        report({
          message: `"${k} key=value" should be used instead of legacy "${k} key value" format: here ${pair.key.text} is set to all of ${JSON.stringify(pair.legacy.value.text)}.`,
          range: { start: pair.key.range.start, end: pair.legacy.value.range.end },
        });
      }
    }
  },
  /**
   * `key=value`: the value as written when it is one word (quotes included), else in double
   * quotes when that reads the same (no quote or escape character in it). Only for a pair on one
   * line. Not for fix-all: a rewrite of a value is better seen than applied unseen.
   */
  fixes(model, finding) {
    const stage = model.stageAt(finding.range.start);
    const ins = stage?.syntax.instructions.find((i) => (i.keyword === 'ENV' || i.keyword === 'LABEL') && rangeContains(i.range, finding.range.start));
    const pair = ins?.facts?.pairs?.[0];
    const legacy = pair?.legacy;
    if (!ins || !pair || !legacy || comparePositions(pair.key.range.start, finding.range.start) !== 0) return [];
    if (pair.key.range.start.line !== legacy.value.range.end.line) return [];
    const value = newValue(legacy.value.text, model.escapeChar);
    if (value === undefined) return [];
    return [{
      title: `Write ${pair.key.text}=${value.length > 30 ? value.slice(0, 29) + '…' : value}`,
      kind: 'quickfix',
      edits: [{ range: { start: legacy.separator.start, end: legacy.value.range.end }, newText: `=${value}` }],
      isPreferred: true,
    }];
  },
};

/** The value for `key=value` that expands as the legacy value did, or undefined when none is plain. */
function newValue(value: string, escape: string): string | undefined {
  if (!hasUnquotedBlank(value, escape)) return value;
  if (/["'`]/.test(value) || value.includes(escape) || value.includes('\\')) return undefined;
  return `"${value}"`;
}

/** Whether the value holds a blank outside quotes (where a key=value word would end). */
function hasUnquotedBlank(value: string, escape: string): boolean {
  let quote = '';
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === escape && quote !== "'") {
      i++;
      continue;
    }
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (/\s/.test(c)) {
      return true;
    }
  }
  return false;
}
