/**
 * The language server's entry point: `node dist/server.js --stdio` (Neovim, Helix, Emacs…) or
 * `--node-ipc` (VS Code). vscode-languageserver picks the transport from the arguments.
 */
import { createConnection } from 'vscode-languageserver/node';
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
  startServer(createConnection());
}
