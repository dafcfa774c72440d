/** Semantic tokens: stage names and the references that resolve to stages, nothing else. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { analyzeText } from '../../server/src/analysis/modelStore';
import { semanticTokens } from '../../server/src/features/semanticTokens';
import { parseMarked } from '../support/fixtures';

/** Decodes the LSP encoding into `line:start-end modifiers`. */
function decode(data: number[]): string[] {
  const out: string[] = [];
  let line = 0;
  let start = 0;
  for (let i = 0; i < data.length; i += 5) {
    line += data[i];
    start = data[i] === 0 ? start + data[i + 1] : data[i + 1];
    assert.equal(data[i + 3], 0, 'token type: class');
    out.push(`${line}:${start}-${start + data[i + 2]}${data[i + 4] === 1 ? ' declaration' : ''}`);
  }
  return out;
}

test('a stage name and the stage references are tokens; images, indices, unknown names and ONBUILD are not', () => {
  const { text, marks } = parseMarked(
    [
      'FROM golang:1.22 AS build',
      '#                   ^^^^^ declaration',
      'FROM build AS test',
      '#    ^^^^^ use',
      '#             ^^^^ declaration',
      'FROM alpine AS release',
      '#              ^^^^^^^ declaration',
      'COPY --link --from=build /a /b',
      '#                  ^^^^^ use',
      'COPY --from=0 /a /b',
      'COPY --from=nginx:1.27 /a /b',
      'COPY --from=biuld /a /b',
      'RUN --mount=type=cache,target=/c --mount=from=test,target=/t true',
      '#                                             ^^^^ use',
      'ONBUILD COPY --from=build /a /b',
      'FROM Build',
      '',
    ].join('\n'),
  );
  const expected = marks.map((m) => `${m.range.start.line}:${m.range.start.character}-${m.range.end.character}${m.label === 'declaration' ? ' declaration' : ''}`);
  assert.deepEqual(decode(semanticTokens(analyzeText(text))), expected);
});

test('no stages, no tokens', () => {
  assert.deepEqual(semanticTokens(analyzeText('')), []);
  assert.deepEqual(semanticTokens(analyzeText('ARG X\n')), []);
});

test('a stage name continued over lines is a token on each line it is written on (parser.go joins them)', () => {
  const text = [
    'FROM golang AS build',
    'FROM alpine',
    'RUN --mount=type=bind,from=bu\\',
    'ild,target=/x true',
    'COPY --from="bui\\',
    '  # a comment inside the continuation',
    'ld" /a /b',
    '',
  ].join('\n');
  assert.deepEqual(decode(semanticTokens(analyzeText(text))), ['0:15-20 declaration', '2:27-29', '3:0-3', '4:12-16', '6:0-3']);
});
