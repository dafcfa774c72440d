/**
 * The initialize floor: a language server that loads vscode-languageserver and nothing else and
 * answers `initialize` with no capabilities. scripts/bench.mjs bundles it with the options of our
 * server's bundle and starts it through our launcher (dist/server.js) with its own code cache, so
 * that its start differs from ours only by what our server itself loads and does.
 */
import { createConnection } from 'vscode-languageserver/node';

const connection = createConnection();
connection.onInitialize(() => ({ capabilities: {} }));
connection.listen();
