/**
 * Answers whose JSON text is put together from pieces encoded once and kept.
 *
 * The outline of a 1000-stage file is about 200 KB of JSON. vscode-jsonrpc encodes every answer
 * with one JSON.stringify of the whole message, so each request paid for encoding all of it
 * again, though an edit changes one stage's symbol. A PreEncoded answer carries its UTF-8 JSON
 * as the kept bytes of its items; on stdio, the encoder below copies those bytes in as the
 * message's result. Over VS Code's node IPC the message is serialized by Node, which calls
 * toJSON and gets the plain value: the same answer either way.
 */
import type { ContentTypeEncoder, ContentTypeEncoderOptions, Message } from 'vscode-languageserver/node';

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

/** The message as UTF-8 JSON: a PreEncoded result is written as its bytes, anything else as JSON.stringify writes it. */
export function encodeMessage(message: Message): Buffer {
  const result = (message as { result?: unknown }).result;
  if (!(result instanceof PreEncoded)) return Buffer.from(JSON.stringify(message), 'utf8');
  const { jsonrpc, id } = message as { jsonrpc: string; id: number | string | null };
  const head = Buffer.from(`{"jsonrpc":${JSON.stringify(jsonrpc)},"id":${JSON.stringify(id)},"result":`, 'utf8');
  return Buffer.concat([head, ...result.pieces, END]);
}

const END = Buffer.from('}');

/** vscode-jsonrpc's application/json encoder (UTF-8, the only charset the server writes), with PreEncoded results written as their bytes. */
export const PRE_ENCODING_JSON: ContentTypeEncoder = {
  name: 'application/json',
  encode(message: Message, options: ContentTypeEncoderOptions): Promise<Uint8Array> {
    try {
      if (options.charset !== 'utf-8') return Promise.resolve(Buffer.from(JSON.stringify(message), options.charset));
      return Promise.resolve(encodeMessage(message));
    } catch (e) {
      return Promise.reject(e);
    }
  },
};
