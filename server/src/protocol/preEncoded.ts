/**
 * Answers whose JSON text is put together from pieces encoded once and kept.
 *
 * The outline of a 1000-stage file is about 200 KB of JSON. vscode-jsonrpc encodes every answer
 * with one JSON.stringify of the whole message, so each request paid for encoding all of it
 * again, though an edit changes one stage's symbol. A PreEncoded answer carries its UTF-8 JSON
 * as the kept bytes of its items; on stdio, the writer (stdioWriter.ts) copies those bytes in as
 * the message's result. Over VS Code's node IPC the message is serialized by Node, which calls
 * toJSON and gets the plain value: the same answer either way.
 */
import type { Message } from 'vscode-languageserver/node';

export class PreEncoded<T> {
  constructor(
    readonly value: T,
    /** The UTF-8 JSON of the value, in pieces to be written one after another. */
    readonly pieces: readonly Uint8Array[],
  ) {}

  toJSON(): T {
    return this.value;
  }

  /** The JSON text (for tests and for a writer that wants text). */
  get json(): string {
    return Buffer.concat(this.pieces).toString('utf8');
  }
}

const OPEN = Buffer.from('[');
const COMMA = Buffer.from(',');
const CLOSE = Buffer.from(']');

/**
 * A list whose items are objects kept between requests (symbols kept per stage): each item's
 * UTF-8 JSON is made the first time it is sent and kept as long as the item lives, so an answer
 * costs a copy of bytes, not an encoding.
 */
export function preEncodedList<T extends object>(items: T[], kept: WeakMap<T, Uint8Array>): PreEncoded<T[]> {
  const pieces: Uint8Array[] = [OPEN];
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    let bytes = kept.get(item);
    if (bytes === undefined) {
      bytes = Buffer.from(JSON.stringify(item), 'utf8');
      kept.set(item, bytes);
    }
    if (i > 0) pieces.push(COMMA);
    pieces.push(bytes);
  }
  pieces.push(CLOSE);
  return new PreEncoded(items, pieces);
}

/**
 * The UTF-8 JSON of a message whose result is PreEncoded, as pieces to write one after another;
 * undefined for any other message.
 */
export function preEncodedMessage(message: Message): Uint8Array[] | undefined {
  const result = (message as { result?: unknown }).result;
  if (!(result instanceof PreEncoded)) return undefined;
  const { jsonrpc, id } = message as { jsonrpc: string; id: number | string | null };
  const head = Buffer.from(`{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id)},"result":`, 'utf8');
  return [head, ...result.pieces, END];
}

const END = Buffer.from('}');

/** The message as UTF-8 JSON: a PreEncoded result as its bytes, anything else as JSON.stringify writes it. */
export function encodeMessage(message: Message): Buffer {
  const pieces = preEncodedMessage(message);
  return pieces ? Buffer.concat(pieces) : Buffer.from(JSON.stringify(message), 'utf8');
}
