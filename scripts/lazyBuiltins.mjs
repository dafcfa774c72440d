// An esbuild plugin for the language server's bundle (scripts/build.mjs; the benchmark's floor
// server is built with it too, so that both start alike).
// The language server's bundle loads child_process and crypto only when a library function that
// needs them runs (vscode-languageserver requires them at the top for features this server never
// uses): a start without them reaches `initialize` sooner.
export const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    build.onResolve({ filter: /^(child_process|crypto)$/ }, (args) => ({ path: args.path, namespace: 'lazy-builtin' }));
    build.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: `let loaded;
const load = () => (loaded ??= require('node:${args.path}'));
module.exports = new Proxy({}, {
  get: (_, key) => load()[key],
  has: (_, key) => key in load(),
  ownKeys: () => Reflect.ownKeys(load()),
  getOwnPropertyDescriptor: (_, key) => {
    const d = Object.getOwnPropertyDescriptor(load(), key);
    return d && { ...d, configurable: true };
  },
});`,
    }));
  },
};
