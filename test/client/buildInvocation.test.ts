/**
 * The build command template: split into words once, as the user wrote it; the stage name, the
 * Dockerfile's path and the folder then go into those words as literal text, each placeholder
 * word one argument of a process started without a shell.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { BuildTemplateError, DEFAULT_BUILD_TEMPLATE, buildInvocation, pathProblem, targetProblem, templateWords } from '../../client/src/buildInvocation';

const plain = { target: 'release', file: '/w/Dockerfile', context: '/w' };

test('the default template builds the target with the file and context as single arguments', () => {
  const inv = buildInvocation(DEFAULT_BUILD_TEMPLATE, { target: 'release', file: '/w/my app/Dockerfile', context: '/w/my app' });
  assert.deepEqual(inv, { program: 'docker', args: ['build', '--target', 'release', '-f', '/w/my app/Dockerfile', '/w/my app'] });
});

test('a placeholder inside a word fills that word, and the word stays one argument', () => {
  const inv = buildInvocation('docker buildx build --target=${target} --build-arg=CTX=${context}/x ${context}', { target: 'a', file: 'f', context: '/my dir' });
  assert.deepEqual(inv.args, ['buildx', 'build', '--target=a', '--build-arg=CTX=/my dir/x', '/my dir']);
});

// What a shell would act on, in every place a value can come from: none of it is read.
const hostileValues = [
  "x'$(touch pwned)'",
  'say "hi" `id`',
  '$(id) ; rm -rf ~ && echo $HOME | cat > out',
  'two  spaces\tand a tab',
  'a newline\nin the middle\n',
  'back\\slash\\\\ and \\"escaped\\" quote\\',
  "'",
  '"',
  '',
  ' leading and trailing ',
  '${file} ${context} ${target}',
  "$& $' $` $1 $$",
  'ünïcödé ✓ 𝄞',
];

test('a value with quotes, $(…), spaces, newlines or backslashes is one argument, byte for byte', () => {
  for (const value of hostileValues) {
    const inv = buildInvocation(DEFAULT_BUILD_TEMPLATE, { target: value, file: value, context: value });
    assert.deepEqual(inv, { program: 'docker', args: ['build', '--target', value, '-f', value, value] }, JSON.stringify(value));
  }
});

test('a value next to template text is inserted as is, never searched for placeholders again', () => {
  const inv = buildInvocation('b --target=${target} -f=${file}', { target: '${file}', file: '${target}$&', context: '.' });
  assert.deepEqual(inv.args, ['--target=${file}', '-f=${target}$&']);
});

test('a process given these arguments receives them unchanged', () => {
  // node prints its argv back: what a program started without a shell receives.
  const template = `${JSON.stringify(process.execPath)} -e "process.stdout.write(JSON.stringify(process.argv.slice(1)))" -- ` + '--target ${target} -f ${file} ${context}';
  for (const value of hostileValues) {
    const inv = buildInvocation(template, { target: value, file: `${value}/Dockerfile`, context: value });
    const r = spawnSync(inv.program, inv.args, { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), ['--target', value, '-f', `${value}/Dockerfile`, value], JSON.stringify(value));
  }
});

test('the template is split on whitespace, with quotes grouping and backslashes escaping', () => {
  const cases: [string, string[]][] = [
    ['docker build', ['docker', 'build']],
    ['  docker\t build \n --target ${target}  ', ['docker', 'build', '--target', '${target}']],
    ['docker build --build-arg "A=b c" ${target}', ['docker', 'build', '--build-arg', 'A=b c', '${target}']],
    ["docker --label 'x=\"y z\"' ${target}", ['docker', '--label', 'x="y z"', '${target}']],
    ['a A="b c"d\'e f\'g', ['a', 'A=b cde fg']],
    ['a "" \'\' b', ['a', '', '', 'b']],
    ['a b\\ c', ['a', 'b c']],
    ['a \\"b\\" \\\\ \\\'', ['a', '"b"', '\\', "'"]],
    ['a "in \\"double\\" \\\\ quotes"', ['a', 'in "double" \\ quotes']],
    ["a 'single \\ keeps $ \" and \\'", ['a', 'single \\ keeps $ " and \\']],
    ['a "$HOME" $(id) `id` ; && |', ['a', '$HOME', '$(id)', '`id`', ';', '&&', '|']],
  ];
  for (const [template, words] of cases) assert.deepEqual(templateWords(template), words, template);
});

test('placeholders are filled in quoted template words too', () => {
  const inv = buildInvocation('docker build --build-arg "STAGE=${target} of ${file}" \'${context}\'', { target: 't', file: 'my file', context: "it's" });
  assert.deepEqual(inv.args, ['build', '--build-arg', 'STAGE=t of my file', "it's"]);
});

test('a program path with spaces, quoted in the template, is the program', () => {
  assert.deepEqual(buildInvocation('"/opt/my tools/docker" build ${target}', plain), { program: '/opt/my tools/docker', args: ['build', 'release'] });
});

test('a template that cannot run is refused with a message that says why', () => {
  const refused: [string, RegExp][] = [
    ['', /empty/],
    ['   \n\t', /empty/],
    ['docker build .', /must contain \$\{target\}/],
    ['docker build --target ${TARGET}', /must contain \$\{target\}/],
    ['docker build --build-arg "A=b ${target}', /" at character 26 that is never closed/],
    ["docker build 'a ${target}", /' at character 14 that is never closed/],
    ['docker build ${target} \\', /ends with a backslash/],
    ['"" --target ${target}', /empty word where the program/],
  ];
  for (const [template, message] of refused) {
    assert.throws(() => buildInvocation(template, plain), (e: unknown) => e instanceof BuildTemplateError && message.test(e.message), JSON.stringify(template));
  }
});

test('only a stage name BuildKit accepts is a target', () => {
  for (const ok of ['build', 'Build', 'a', 'golang-1.22_build', 'x.y']) assert.equal(targetProblem(ok), undefined, ok);
  const refused: [unknown, RegExp][] = [
    ["x'$(id)'", /not a stage name BuildKit accepts/],
    ['1build', /not a stage name/],
    ['-rf', /not a stage name/],
    ['build stage', /not a stage name/],
    ['build\n', /not a stage name/],
    ['scratch', /reserved/],
    ['Context', /reserved/],
    ['', /No stage name/],
    [undefined, /No stage name/],
    [['build'], /No stage name/],
    [{ toString: () => 'build' }, /No stage name/],
  ];
  for (const [target, message] of refused) assert.match(targetProblem(target) ?? 'accepted', message, String(target));
});

test('a path with ${ is refused: VS Code would replace it', () => {
  assert.equal(pathProblem('folder', "/w/it's $(here)\n"), undefined);
  assert.equal(pathProblem('folder', '/w/$HOME/{x}'), undefined);
  assert.match(pathProblem('folder', '/w/${env:HOME}') ?? 'accepted', /folder holds "\$\{"/);
});
