/** The build command template: values from the Dockerfile always reach the shell quoted. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'child_process';
import { BuildTemplateError, DEFAULT_BUILD_TEMPLATE, buildInvocation, toPosixCommandLine } from '../../client/src/buildInvocation';

test('the default template builds the target with the file and context as single arguments', () => {
  const inv = buildInvocation(DEFAULT_BUILD_TEMPLATE, { target: 'release', file: '/w/my app/Dockerfile', context: '/w/my app' });
  assert.deepEqual(inv.command, { value: 'docker', quote: false });
  assert.deepEqual(inv.args, [
    { value: 'build', quote: false },
    { value: '--target', quote: false },
    { value: 'release', quote: true },
    { value: '-f', quote: false },
    { value: '/w/my app/Dockerfile', quote: true },
    { value: '/w/my app', quote: true },
  ]);
});

test('a placeholder inside a word quotes the whole word', () => {
  const inv = buildInvocation('docker buildx build --target=${target} ${context}', { target: 'a', file: 'f', context: '.' });
  assert.deepEqual(inv.args.slice(2), [{ value: '--target=a', quote: true }, { value: '.', quote: true }]);
});

test('shell metacharacters in a value stay literal in a POSIX shell', () => {
  const hostile = "x'; touch /tmp/pwned-$USER; echo '";
  const inv = buildInvocation('echo ${target}', { target: hostile, file: 'f', context: '.' });
  const r = spawnSync('sh', ['-c', toPosixCommandLine(inv)], { encoding: 'utf8' });
  // echo prints its argument back: the value arrived as one argument, unchanged, and ran nothing.
  assert.equal(r.stdout, hostile + '\n');
});

test('a template without ${target} or an empty one is refused', () => {
  assert.throws(() => buildInvocation('docker build .', { target: 'a', file: 'f', context: '.' }), BuildTemplateError);
  assert.throws(() => buildInvocation('   ', { target: 'a', file: 'f', context: '.' }), BuildTemplateError);
});
