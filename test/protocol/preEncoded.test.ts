/**
 * Pre-encoded answers (server/src/protocol/preEncoded.ts): the bytes written for a PreEncoded
 * result are the bytes JSON.stringify writes for the plain message, and Node's IPC serialization
 * (which calls toJSON) sees the plain value; over stdio, the outline of an edited document is the
 * outline a fresh document with the same text gets, edit after edit (no kept piece outlives its
 * symbol), checked over the outline fixtures and the corpus with seeded edits against a server
 * started afresh.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { encodeMessage, PreEncoded, preEncodedList } from '../../server/src/protocol/preEncoded';
import { corpusTexts, loadSuite } from '../support/fixtures';
import { TestClient } from '../support/lspClient';
import { pick, prng, seedOf } from '../support/random';

describe('pre-encoded answers', () => {
  test('a PreEncoded result is written byte for byte as JSON.stringify writes the plain message', () => {
    const kept = new WeakMap<object, Uint8Array>();
    const items = [
      { name: 'build', kind: 5, range: { start: { line: 0, character: 0 }, end: { line: 3, character: 9 } } },
      { name: 'caf\u00e9 \u{1F433} "quoted" \\ back', kind: 13, detail: '= \u2028' },
      { name: 'x', children: [{ name: 'y', kind: 12 }] },
    ];
    for (const id of [7, 'request-7', null]) {
      const plain = { jsonrpc: '2.0', id, result: items };
      const message = { jsonrpc: '2.0', id, result: preEncodedList(items, kept) };
      assert.equal(encodeMessage(message).toString('utf8'), JSON.stringify(plain));
    }
    // Kept bytes are reused: the same list again, then one item replaced by an equal new object.
    const again = preEncodedList(items, kept);
    assert.equal(again.json, JSON.stringify(items));
    const changed = [items[0], { ...items[1], name: 'renamed' }, items[2]];
    assert.equal(preEncodedList(changed, kept).json, JSON.stringify(changed));
    assert.equal(preEncodedList([], kept).json, '[]');
  });

  test('anything else is encoded as JSON.stringify encodes it; Node IPC (toJSON) sees the plain value', () => {
    const notification = { jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///x', diagnostics: [] } };
    assert.equal(encodeMessage(notification).toString('utf8'), JSON.stringify(notification));
    const value = [{ name: 'a', kind: 5 }];
    const message = { jsonrpc: '2.0', id: 1, result: new PreEncoded(value, [Buffer.from('[{"name":"a","kind":5}]')]) };
    assert.equal(JSON.stringify(message), JSON.stringify({ jsonrpc: '2.0', id: 1, result: value }));
  });
});

describe('the outline over stdio, pre-encoded, after edits', () => {
  let client: TestClient;
  before(async () => (client = await TestClient.start()));
  after(async () => assert.equal(await client.stop(), 0));

  const symbols = (uri: string) => client.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });

  test('one write a message: a header that counts bytes, not characters (non-ASCII answers read back whole)', async () => {
    const uri = 'file:///project/pre-encoded/unicode/Dockerfile';
    await client.open(uri, 'FROM alpine AS caf\u00e9-\u{1F433}\nFROM caf\u00e9-\u{1F433}\n');
    const { diagnostics } = await client.diagnosticsFor(uri, 1);
    assert.ok(diagnostics.some((d) => String(d.message).includes('caf\u00e9-\u{1F433}')), diagnostics.map((d) => String(d.message)).join(' | '));
    const outline = await symbols(uri);
    assert.deepEqual((outline as { name: string }[]).map((s) => s.name), ['caf\u00e9-\u{1F433}', 'stage 1']);
    await client.close(uri);
  });

  // The reference is a server started afresh for each version: nothing it sends was kept before.
  const freshOutline = async (text: string): Promise<unknown[]> => {
    const fresh = await TestClient.start();
    try {
      const uri = 'file:///project/pre-encoded/fresh/Dockerfile';
      await fresh.open(uri, text);
      return await fresh.request<unknown[]>('textDocument/documentSymbol', { textDocument: { uri } });
    } finally {
      await fresh.stop();
    }
  };

  test('edit after edit, the outline equals a fresh server\'s for the same text (seeded over the outline fixtures and the corpus)', async () => {
    const seed = seedOf(20261203);
    const rand = prng(seed);
    // The outline fixtures, and the real corpus where it is (beside the checkout, as in CI).
    const texts = [...loadSuite('symbols').map((c) => c.text), ...corpusTexts()];
    assert.ok(texts.length > 0, 'the outline fixtures are there');
    const edits = ['\n', 'x', 'FROM alpine AS extra\n', '# note\n', 'RUN true\n', ''];
    for (let round = 0; round < 6; round++) {
      let text = pick(texts, rand);
      const uri = `file:///project/pre-encoded/${round}/Dockerfile`;
      await client.open(uri, text);
      await client.diagnosticsFor(uri, 1);
      await symbols(uri);
      for (let version = 2; version <= 5; version++) {
        const at = Math.floor(rand() * (text.length + 1));
        const cut = rand() < 0.3 ? Math.floor(rand() * 40) : 0;
        text = text.slice(0, at) + pick(edits, rand) + text.slice(at + cut);
        await client.change(uri, version, [{ text }]);
        assert.deepEqual(await symbols(uri), await freshOutline(text), `seed ${seed} (replay with PROPERTY_SEED=${seed}), round ${round}, version ${version}`);
      }
      await client.close(uri);
    }
  });
});
