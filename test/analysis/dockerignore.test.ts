/**
 * The ignore file's patterns as moby/patternmatcher reads and matches them (ignorefile.ReadAll,
 * New, MatchesOrParentMatches); cases after its tests and Docker's .dockerignore reference.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { DockerIgnore, cleanPath } from '../../server/src/analysis/dockerignore';

function ignore(text: string): DockerIgnore {
  const d = DockerIgnore.parse('.dockerignore', text);
  assert.ok(d, `does not parse: ${JSON.stringify(text)}`);
  return d;
}

test('ReadAll: comments, blank lines, a leading / and blanks around ! are dropped', () => {
  const d = ignore('\uFEFFtest1\n/test2\n/a/file/here\n\nlastfile\n# this is a comment\n!  /inverted/abs/path\n');
  for (const p of ['test1', 'test2', 'a/file/here', 'lastfile']) assert.equal(d.matchingPattern(p), p, p);
  assert.equal(d.matchingPattern('inverted/abs/path'), undefined);
  assert.equal(d.exclusions, true);
  assert.equal(d.size, 5);
  // A `#` that is not the first character is no comment.
  assert.equal(ignore(' # x').matchingPattern('# x'), '# x');
});

test('a lone ! or a malformed class is refused (the build fails before any check)', () => {
  assert.equal(DockerIgnore.parse('.dockerignore', 'a\n!\n'), undefined);
  assert.equal(DockerIgnore.parse('.dockerignore', '[\n'), undefined);
  assert.equal(DockerIgnore.parse('.dockerignore', 'a\\'), undefined);
});

test('* and ? stay within one part, ** crosses parts, [..] is a class', () => {
  const d = ignore('*.md\nsrc/*/gen\n**/*.log\nfile?.txt\nbuild/**\nv[0-9].txt\n');
  assert.equal(d.matchingPattern('README.md'), '*.md');
  assert.equal(d.matchingPattern('docs/README.md'), undefined);
  assert.equal(d.matchingPattern('src/a/gen'), 'src/*/gen');
  assert.equal(d.matchingPattern('src/a/b/gen'), undefined);
  assert.equal(d.matchingPattern('x.log'), '**/*.log');
  assert.equal(d.matchingPattern('a/b/c/x.log'), '**/*.log');
  assert.equal(d.matchingPattern('file1.txt'), 'file?.txt');
  assert.equal(d.matchingPattern('file12.txt'), undefined);
  assert.equal(d.matchingPattern('build/x/y'), 'build/**');
  assert.equal(d.matchingPattern('v7.txt'), 'v[0-9].txt');
  assert.equal(d.matchingPattern('vx.txt'), undefined);
});

test('a path is ignored when a parent folder is (MatchesOrParentMatches)', () => {
  const d = ignore('node_modules\nlogs/*\n');
  assert.equal(d.matchingPattern('node_modules/a/b.js'), 'node_modules');
  assert.equal(d.matchingPattern('logs/x/y'), 'logs/*');
  assert.equal(d.matchingPattern('src/node_modules'), undefined);
});

test('the last pattern that decides wins; an exception brings a path back', () => {
  const d = ignore('*.md\n!README.md\n');
  assert.equal(d.matchingPattern('CHANGES.md'), '*.md');
  assert.equal(d.matchingPattern('README.md'), undefined);
  assert.equal(ignore('!a\na').matchingPattern('a'), 'a');
});

test('regular-expression characters are literal; a backslash escapes', () => {
  const d = ignore('a+b(1).txt\n\\*star\n');
  assert.equal(d.matchingPattern('a+b(1).txt'), 'a+b(1).txt');
  assert.equal(d.matchingPattern('aab1.txt'), undefined);
  assert.equal(d.matchingPattern('*star'), '\\*star');
  assert.equal(d.matchingPattern('xstar'), undefined);
});

test('the root counts as ignored only under *, ** or **/*', () => {
  assert.equal(ignore('.*\n').ignoresRoot(), undefined);
  assert.equal(ignore('*\n').ignoresRoot(), '*');
  assert.equal(ignore('**\n').ignoresRoot(), '**');
  assert.equal(ignore('/**/*\n').ignoresRoot(), '**/*');
});

test("cleanPath is Go's path.Clean", () => {
  const cases: [string, string][] = [['', '.'], ['./', '.'], ['./a/./b/', 'a/b'], ['a//b', 'a/b'], ['a/../..', '..'], ['/../a', '/a'], ['/', '/'], ['../../x/..', '../..']];
  for (const [input, expected] of cases) assert.equal(cleanPath(input), expected, input);
});
