/**
 * The benchmark's transport floor: a stub language server that does no work at all. It answers
 * `initialize` with no capabilities and every request named in its answer file with the bytes
 * recorded from our server's answer, encoded once at start. What a request to it costs is what
 * any server pays to move that answer over a stdio pipe to this client and have it parsed there.
 *
 * Usage: node out/test/bench/stubServer.js ANSWERS.json   ({ "method": result, ... })
 * The framing is written by hand on purpose: vscode-jsonrpc cannot send bytes encoded beforehand,
 * and encoding each answer again would measure the encoder, not the transport.
 */
import * as fs from 'fs';

const answers = JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as Record<string, unknown>;
const encoded = new Map<string, string>(Object.entries(answers).map(([method, result]) => [method, JSON.stringify(result)]));

let pending = Buffer.alloc(0);
process.stdin.on('data', (chunk: Buffer) => {
  pending = Buffer.concat([pending, chunk]);
  for (;;) {
    const headerEnd = pending.indexOf('\r\n\r\n');
    if (headerEnd === -1) return;
    const length = Number(/Content-Length: *(\d+)/i.exec(pending.subarray(0, headerEnd).toString('ascii'))?.[1] ?? NaN);
    if (!Number.isFinite(length)) process.exit(2);
    if (pending.length < headerEnd + 4 + length) return;
    const message = JSON.parse(pending.subarray(headerEnd + 4, headerEnd + 4 + length).toString('utf8')) as { id?: number | string; method?: string };
    pending = pending.subarray(headerEnd + 4 + length);
    if (message.method === 'exit') process.exit(0);
    if (message.id === undefined || message.method === undefined) continue;
    const result = message.method === 'initialize' ? '{"capabilities":{}}' : (encoded.get(message.method) ?? 'null');
    const body = Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(message.id)},"result":${result}}`, 'utf8');
    // One write, header and body together: the cheapest way to put a message on the pipe.
    process.stdout.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }
});
process.stdin.on('end', () => process.exit(0));
