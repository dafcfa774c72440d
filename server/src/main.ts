/**
 * The language server's entry point: `node dist/server.js --stdio` (Neovim, Helix, Emacs…) or
 * `--node-ipc` (VS Code). vscode-languageserver picks the transport from the arguments.
 */
import { inspect } from 'util';
import type { Connection } from 'vscode-languageserver/node';
import { createConnection, StreamMessageReader } from './protocol/lsp';
import { SingleWriteMessageWriter } from './protocol/stdioWriter';
import { startServer } from './protocol/server';
import { PRODUCT_NAME, PRODUCT_VERSION } from './version';

const args = process.argv.slice(2);
if (args.includes('--version')) {
  process.stdout.write(`${PRODUCT_NAME} ${PRODUCT_VERSION}\n`);
} else if (args.includes('--help') || !args.some((a) => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'))) {
  process.stdout.write(
    `${PRODUCT_NAME} language server ${PRODUCT_VERSION}\n\n` +
      'Usage: dockerfile-stages-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n',
  );
  process.exitCode = args.includes('--help') ? 0 : 2;
} else {
  startServer(args.includes('--stdio') ? stdioConnection() : createConnection());
}

/**
 * The connection over standard input and output, made here rather than by vscode-languageserver
 * from `--stdio` for its writer (protocol/stdioWriter.ts: one write a message, pre-encoded
 * answers sent as they are).
 * What the library does for `--stdio` is done here too: console output goes to the client's log
 * (standard output carries the protocol), and the server ends when its input does.
 */
function stdioConnection(): Connection {
  const connection = createConnection(new StreamMessageReader(process.stdin), new SingleWriteMessageWriter(process.stdout));
  const text = (values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : inspect(v))).join(' ');
  console.log = console.info = (...values: unknown[]) => connection.console.log(text(values));
  console.debug = (...values: unknown[]) => connection.console.log(text(values));
  console.warn = (...values: unknown[]) => connection.console.warn(text(values));
  console.error = (...values: unknown[]) => connection.console.error(text(values));
  let shutdown = false;
  connection.onShutdown(() => {
    shutdown = true;
  });
  const end = () => process.exit(shutdown ? 0 : 1);
  process.stdin.on('end', end);
  process.stdin.on('close', end);
  return connection;
}
