/**
 * The memory soak's edits (memorySoak.ts, `npm run soak`) checked in `npm test`: every edit is a
 * valid LSP change that does to an editor's document what the Typist did to its own copy, and
 * each burst of edits leaves the opened text again.
 */
import test from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { generateDockerfile } from '../bench/generateDockerfile';
import { prng, seedOf } from '../support/random';
import { Typist } from './memorySoak';

test("the soak's typist: edits an editor applies alike, the opened text again after each burst", () => {
  const text = generateDockerfile(40);
  const seed = seedOf(7);
  const typist = new Typist(text, 40, prng(seed));
  const doc = TextDocument.create('file:///soak/Dockerfile', 'dockerfile', 1, text);
  let bursts = 0;
  const kinds = new Set<string>();
  for (let version = 2; version < 3000; version++) {
    const edit = typist.next();
    const { start, end } = edit.range;
    kinds.add(start.line !== end.line || edit.text.includes('\n') ? 'line break' : edit.text === '' ? 'erase' : 'type');
    TextDocument.update(doc, [edit], version);
    assert.equal(doc.getText(), typist.text, `edit ${version - 1} (seed ${seed}): ${JSON.stringify(edit)}`);
    if (typist.idle) {
      assert.equal(typist.text, text, `the text after burst ${bursts + 1} (seed ${seed})`);
      bursts++;
    }
  }
  assert.ok(bursts > 300, `${bursts} bursts`);
  assert.deepEqual([...kinds].sort(), ['erase', 'line break', 'type']);
});
