/**
 * Properties of stage references that must hold for every input, over the rules, model and rename
 * fixtures, the real corpus at ../shared/corpus/real when it is there, and seeded variants of them
 * that rewrite flag words in ways BuildKit reads as the same words (a continuation inside a word,
 * quotes, escapes, other flags with quoted blanks, upper-case mount keys, CRLF):
 *
 * 1. a variant resolves every reference exactly as the original does;
 * 2. the text under every reference's range reads, as written, as the reference's name;
 * 3. a rename either is refused with a reason, or leaves every reference resolving as before
 *    (stages, problems, images, FROM bases built from build arguments, numeric indices) with the
 *    renamed uses reading the new name, images and build-argument patterns that the new name
 *    would capture included;
 * 4. applying any offered quick fix adds no error.
 *
 * A failure prints the seed and the text; PROPERTY_SEED=<seed> replays it.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { StageModel, StageRef } from '../../server/src/analysis/stageModel';
import { unquoteWord } from '../../server/src/analysis/fromVariables';
import { isValidStageName, RESERVED_STAGE_NAMES } from '../../server/src/analysis/stageNames';
import { LogicalLine, splitInstruction } from '../../server/src/analysis/flagReader';
import { rename } from '../../server/src/features/rename';
import { fixesFor, nameStageRefactor } from '../../server/src/rules/codeActions';
import { findingsFor } from '../../server/src/rules/runRules';
import { SourceText } from '../../server/src/edits/sourceText';
import { applyEdits } from '../support/applyEdits';
import { corpusTexts, loadSuite } from '../support/fixtures';
import { pick, prng, seedOf } from '../support/random';
import { readWrittenToken } from '../support/writtenToken';

const SOURCES: string[] = [
  ...loadSuite('model').map((c) => c.text),
  ...loadSuite('rules').map((c) => c.text),
  ...loadSuite('rename').map((c) => c.text),
  ...corpusTexts(),
];

/** The text of a range, lines split at \n, \r\n or \r as the model counts them. */
function textAt(text: string, r: StageRef['range']): string {
  const starts = [0];
  const re = /\r\n|\r|\n/g;
  for (let m = re.exec(text); m; m = re.exec(text)) starts.push(m.index + m[0].length);
  return text.slice(starts[r.start.line] + r.start.character, starts[r.end.line] + r.end.character);
}

function offsetOf(text: string, p: { line: number; character: number }): number {
  let offset = 0;
  for (let line = 0; line < p.line; line++) offset = text.indexOf('\n', offset) + 1;
  return offset + p.character;
}

/** What every reference resolves to, in file order: what no variant and no rename may change. */
function resolutions(model: StageModel): string[] {
  return model.refs.map((r) => `${r.kind} ${r.numeric ? 'numeric ' : ''}${JSON.stringify(r.resolution)}`);
}

function describeRefs(model: StageModel): string {
  return model.refs.map((r) => `  ${r.kind} ${JSON.stringify(r.value)} ${JSON.stringify(r.range)} ${JSON.stringify(r.resolution)}`).join('\n');
}

const NAME_LIKE = /^[A-Za-z0-9._-]+$/;

/**
 * Every instruction that holds a flag reference, as BuildKit reads it: its flag words and the
 * rest of its line. A rename may change the names in it and nothing else.
 */
function flagInstructions(text: string, model: StageModel): string[] {
  const lines = text.split(/\r\n|\r|\n/);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const r of model.refs) {
    if (r.kind === 'from' || seen.has(JSON.stringify(r.instructionRange.start))) continue;
    seen.add(JSON.stringify(r.instructionRange.start));
    const line = LogicalLine.read(lines, r.instructionRange.start, r.instructionRange.end.line, model.escapeChar);
    let split = splitInstruction(line);
    if (r.kind === 'onbuild') split = splitInstruction(line, split.argsStart);
    out.push(`${split.keyword} ${split.flags.map((f) => JSON.stringify(f.word.chars)).join(' ')} | ${line.text.slice(split.argsStart).trim()}`);
  }
  return out;
}

/** Property 2: the written token reads as the name (a FROM base through the shell's quote removal). */
function assertRangesReadAsNames(text: string, model: StageModel, context: string): void {
  for (const r of model.refs) {
    const written = textAt(text, r.range);
    if (r.kind === 'from') {
      const name = unquoteWord(r.value, model.escapeChar);
      if (name === undefined || !NAME_LIKE.test(name)) continue;
      assert.equal(readWrittenToken(written, model.escapeChar), name, `${context}: FROM base range ${JSON.stringify(r.range)} holds ${JSON.stringify(written)}`);
    } else if (NAME_LIKE.test(r.value)) {
      assert.equal(readWrittenToken(written, model.escapeChar), r.value, `${context}: ${r.kind} range ${JSON.stringify(r.range)} holds ${JSON.stringify(written)}`);
    }
  }
}

// ---- Variants: rewrites of flag words that BuildKit reads as the same words.

interface Variant {
  name: string;
  apply(text: string, model: StageModel, rand: () => number): string | undefined;
}

/** References written in flags (not FROM bases), with a name-like value. */
function flagRefs(model: StageModel): StageRef[] {
  return model.refs.filter((r) => r.kind !== 'from' && r.kind !== 'add' && NAME_LIKE.test(r.value) && r.range.start.line === r.range.end.line);
}

/** Whether the reference's line holds no quote, so that a quote added there opens a quote. */
function unquotedLine(text: string, r: StageRef): boolean {
  return !/["']/.test(text.split('\n')[r.range.start.line]);
}

function replaceRange(text: string, r: StageRef['range'], newText: string): string {
  return text.slice(0, offsetOf(text, r.start)) + newText + text.slice(offsetOf(text, r.end));
}

const VARIANTS: Variant[] = [
  {
    // `bu\` + newline + `ild`: continuation lines are joined before flags are read.
    name: 'continue inside a name',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => r.value.length >= 2 && textAt(text, r.range) === r.value);
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const cut = 1 + Math.floor(rand() * (r.value.length - 1));
      const eol = text.includes('\r\n') ? '\r\n' : '\n';
      const comment = rand() < 0.3 ? `# a comment inside the continuation${eol}` : '';
      return replaceRange(text, r.range, `${r.value.slice(0, cut)}${model.escapeChar}${eol}${comment}${r.value.slice(cut)}`);
    },
  },
  {
    name: 'quote a name',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => textAt(text, r.range) === r.value && unquotedLine(text, r));
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const q = rand() < 0.5 ? '"' : "'";
      const v = r.value;
      const cut = Math.floor(rand() * (v.length + 1));
      // The whole name, or a part of it, in quotes: extractBuilderFlags drops them either way.
      return replaceRange(text, r.range, rand() < 0.5 ? `${q}${v}${q}` : `${v.slice(0, cut)}${q}${v.slice(cut)}${q}`);
    },
  },
  {
    // A quote that opens inside the name and closes further on in the same flag word
    // (`from=bu"ild,target=/x"`): still one word, still the same name.
    name: 'quote past the end of a name',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => r.kind !== 'copy' && r.value.length >= 2 && textAt(text, r.range) === r.value && unquotedLine(text, r));
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const start = offsetOf(text, r.range.start);
      const end = offsetOf(text, r.range.end);
      let wordEnd = end;
      while (wordEnd < text.length && !/[\s"'\\]/.test(text[wordEnd])) wordEnd++;
      if (wordEnd === end || !/\s/.test(text[wordEnd] ?? ' ')) return undefined;
      const cut = start + 1 + Math.floor(rand() * (r.value.length - 1));
      const q = rand() < 0.5 ? '"' : "'";
      return text.slice(0, cut) + q + text.slice(cut, wordEnd) + q + text.slice(wordEnd);
    },
  },
  {
    // A backslash escapes the next character in a flag word, whatever the escape directive.
    name: 'escape a letter',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => textAt(text, r.range) === r.value && /[a-z]/.test(r.value));
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const i = r.value.search(/[a-z]/);
      return replaceRange(text, r.range, `${r.value.slice(0, i)}\\${r.value.slice(i)}`);
    },
  },
  {
    // Another flag whose value holds a quoted or escaped blank, before the reference's flag.
    name: 'a flag with a blank in front',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => r.kind === 'copy' || r.kind === 'mount');
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const line = text.split('\n')[r.instructionRange.start.line];
      const m = /^(\s*)(COPY|RUN)(\s+)/i.exec(line);
      if (!m) return undefined;
      const extra = m[2].toUpperCase() === 'COPY' ? pick(['--chown=a\\ b ', '--exclude="*.md x" ', "--chmod='7 55' "], rand) : '--mount=type=cache,target="/c d" ';
      const at = offsetOf(text, { line: r.instructionRange.start.line, character: m[0].length });
      return text.slice(0, at) + extra + text.slice(at);
    },
  },
  {
    // parseMount lower-cases option keys.
    name: 'upper-case a mount key',
    apply(text, model, rand) {
      const refs = flagRefs(model).filter((r) => r.kind === 'mount' && r.range.start.character >= 5);
      if (refs.length === 0) return undefined;
      const r = pick(refs, rand);
      const key = { line: r.range.start.line, character: r.range.start.character - 5 };
      const at = offsetOf(text, key);
      if (text.slice(at, at + 5) !== 'from=') return undefined;
      return text.slice(0, at) + pick(['FROM=', 'From='], rand) + text.slice(at + 5);
    },
  },
  {
    name: 'CRLF',
    apply(text) {
      return text.includes('\r\n') ? undefined : text.replace(/\n/g, '\r\n');
    },
  },
];

test('flag-word variants resolve every reference as the original, and every range reads as its name', () => {
  const seed = seedOf(71_003);
  const rand = prng(seed);
  let checked = 0;
  let requoted = 0;
  for (let i = 0; i < 600; i++) {
    const original = pick(SOURCES, rand);
    const model = analyzeText(original);
    let text = original;
    const applied: string[] = [];
    for (let n = 1 + Math.floor(rand() * 3); n > 0; n--) {
      const variant = pick(VARIANTS, rand);
      const next = variant.apply(text, analyzeText(text), rand);
      if (next === undefined) continue;
      text = next;
      applied.push(variant.name);
    }
    const context = `seed ${seed}, iteration ${i}, variants [${applied.join(', ')}]\n--- text ---\n${text}`;
    const mutated = analyzeText(text);
    assert.deepEqual(resolutions(mutated), resolutions(model), `${context}\n--- references ---\n${describeRefs(mutated)}`);
    assertRangesReadAsNames(text, mutated, context);
    if (applied.length > 0) checked++;
    // Where a quote opens or closes inside a reference, a rename must keep the quotes paired.
    for (const r of mutated.refs) {
      const res = r.resolution;
      if (r.quoteSuffix === '' || res.kind !== 'stage' || mutated.stages[res.stage].nameRange === undefined) continue;
      const result = rename(mutated, mutated.stages[res.stage].nameRange!.start, 'renamed-q');
      // (Refused where a FROM built from build arguments could not name renamed-q: property 3's.)
      if ('error' in result) continue;
      const after = applyEdits(text, result.edits).text;
      const renamed = analyzeText(after);
      assert.deepEqual(resolutions(renamed), resolutions(mutated), `${context}\n--- after renaming to renamed-q ---\n${after}`);
      const back = (v: string) => v.split('renamed-q').join(mutated.stages[res.stage].name!).toLowerCase();
      assert.deepEqual(flagInstructions(after, renamed).map(back), flagInstructions(text, mutated).map((v) => v.toLowerCase()), `${context}\n--- after renaming to renamed-q ---\n${after}`);
      requoted++;
    }
  }
  assert.ok(checked > 300, `only ${checked} variants applied`);
  assert.ok(requoted > 5, `only ${requoted} renames through a quote that pairs outside the name`);
});

// ---- Rename.

/** New names to try for a stage: fresh ones, and ones that could capture something of the file. */
function candidateNames(model: StageModel, rand: () => number): string[] {
  const names = [`renamed-${Math.floor(rand() * 1000)}`, 'x'];
  for (const r of model.refs) {
    const res = r.resolution;
    // An image of the file, taken as a stage name, would capture that reference.
    if (res.kind === 'image' && isValidStageName(r.value)) names.push(r.value.toLowerCase());
    // A name a FROM built from build arguments could match.
    if (res.kind === 'variable') {
      const literal = /^[a-z0-9._-]+/.exec(r.value);
      if (literal) names.push(`${literal[0]}z`);
    }
  }
  for (const s of model.stages) if (s.key) names.push(s.key.toUpperCase());
  const unique = [...new Set(names)].filter((n) => isValidStageName(n) && !RESERVED_STAGE_NAMES.has(n.toLowerCase()));
  const out: string[] = [];
  while (out.length < 3 && unique.length > 0) out.push(unique.splice(Math.floor(rand() * unique.length), 1)[0]);
  return out;
}

test('every rename is refused with a reason or keeps every reference resolving as before', () => {
  const seed = seedOf(52_117);
  const rand = prng(seed);
  let renamed = 0;
  let refused = 0;
  for (let i = 0; i < 250; i++) {
    let text = pick(SOURCES, rand);
    for (let n = Math.floor(rand() * 3); n > 0; n--) text = pick(VARIANTS, rand).apply(text, analyzeText(text), rand) ?? text;
    const model = analyzeText(text);
    const named = model.stages.filter((s) => s.nameRange !== undefined);
    if (named.length === 0) continue;
    // Mostly stages that flags name, where the variants rewrote something.
    const used = named.filter((s) => s.incoming.some((r) => r.kind !== 'from'));
    const stage = pick(used.length > 0 && rand() < 0.7 ? used : named, rand);
    for (const newName of candidateNames(model, rand)) {
      const context = `seed ${seed}, iteration ${i}: rename stage ${stage.index} "${stage.name}" to "${newName}"\n--- text ---\n${text}`;
      const result = rename(model, stage.nameRange!.start, newName);
      if ('error' in result) {
        assert.ok(result.error.length > 20, `${context}: refused without a reason`);
        refused++;
        continue;
      }
      renamed++;
      const after = applyEdits(text, result.edits).text;
      const model2 = analyzeText(after);
      assert.deepEqual(resolutions(model2), resolutions(model), `${context}\n--- after ---\n${after}\n--- references after ---\n${describeRefs(model2)}`);
      assert.equal(model2.stages[stage.index].name, newName, `${context}: the declaration`);
      // Every use of the stage now reads the new name (FROM in lower case).
      for (const r of model2.stages[stage.index].incoming) {
        if (r.numeric || /^[+-]?\d+$/.test(r.value)) continue;
        const read = r.kind === 'from' ? unquoteWord(r.value, model2.escapeChar) : r.value;
        assert.equal(read?.toLowerCase(), newName.toLowerCase(), `${context}: ${r.kind} at ${JSON.stringify(r.range)} reads ${read}\n--- after ---\n${after}`);
      }
      assertRangesReadAsNames(after, model2, context);
      // Only the names change in the flags; a fresh name can be mapped back to compare. (An empty
      // mount from= names a stage called scratch, and a rename of it writes the new name there.)
      if (newName.startsWith('renamed-') && stage.key !== 'scratch') {
        const back = (v: string) => v.split(newName).join(stage.name!);
        const lower = (v: string) => v.toLowerCase();
        assert.deepEqual(flagInstructions(after, model2).map(back).map(lower), flagInstructions(text, model).map(lower), `${context}\n--- after ---\n${after}`);
      }
    }
  }
  assert.ok(renamed > 100, `only ${renamed} renames applied (${refused} refused)`);
});

// ---- Quick fixes.

function errorCodes(model: StageModel): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of findingsFor(model)) if (f.severity === 'error') counts.set(f.code, (counts.get(f.code) ?? 0) + 1);
  return counts;
}

test('applying any offered quick fix adds no error', () => {
  const seed = seedOf(30_977);
  const rand = prng(seed);
  let applied = 0;
  for (let i = 0; i < 400; i++) {
    let text = pick(SOURCES, rand);
    if (rand() < 0.3) text = pick(VARIANTS, rand).apply(text, analyzeText(text), rand) ?? text;
    const model = analyzeText(text);
    const source = new SourceText(text);
    const before = errorCodes(model);
    const fixes = findingsFor(model).flatMap((f) => fixesFor(model, f, source).map((fix) => ({ finding: f, fix })));
    for (const s of model.stages) {
      const refactor = nameStageRefactor(model, s.syntax.from.range);
      if (refactor) fixes.push({ finding: undefined!, fix: refactor });
    }
    for (const { finding, fix } of fixes) {
      const after = applyEdits(text, fix.edits).text;
      const errors = errorCodes(analyzeText(after));
      applied++;
      for (const [code, n] of errors) {
        assert.ok(n <= (before.get(code) ?? 0), `seed ${seed}, iteration ${i}: "${fix.title}" for ${finding?.code ?? 'Name this stage'} adds ${code} (${before.get(code) ?? 0} → ${n})\n--- before ---\n${text}\n--- after ---\n${after}`);
      }
    }
  }
  assert.ok(applied > 100, `only ${applied} fixes applied`);
});
