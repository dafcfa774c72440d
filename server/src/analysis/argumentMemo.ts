/**
 * dockerfile-ast splits an instruction's text into arguments afresh on every call of
 * getArguments, and its own constructors call it several times per RUN or COPY (through
 * getRawArgumentsContent, getArgumentsRange and getFlags), before this server asks once more.
 * On a 20,000-line file that repetition is about a third of the parse. An instruction never
 * changes once parsed, so the split is kept on the instance the first time and each caller
 * gets its own copy of the list (ModifiableInstruction.getArguments shifts the flags off it).
 *
 * Installed once, when this module is first imported. The test that the memo changes no
 * answer parses with and without it (withoutArgumentMemo).
 */
import { Instruction } from 'dockerfile-ast';

type Split = (this: Instruction) => unknown[];
interface Splittable {
  getRawArguments: Split;
}

const prototype = Instruction.prototype as unknown as Splittable;
const original: Split = prototype.getRawArguments;
const KEPT = Symbol('dockerfile-stages.rawArguments');

function rememberedArguments(this: Instruction & { [KEPT]?: unknown[] }): unknown[] {
  let kept = this[KEPT];
  if (kept === undefined) {
    kept = original.call(this);
    this[KEPT] = kept;
  }
  return kept.slice();
}

if (typeof original === 'function') prototype.getRawArguments = rememberedArguments;

/** Runs `fn` with dockerfile-ast's own, unremembered argument split (for tests). */
export function withoutArgumentMemo<T>(fn: () => T): T {
  prototype.getRawArguments = original;
  try {
    return fn();
  } finally {
    if (typeof original === 'function') prototype.getRawArguments = rememberedArguments;
  }
}

/** Whether the memo is in place (false if dockerfile-ast's internals moved). */
export function argumentMemoInstalled(): boolean {
  return prototype.getRawArguments === rememberedArguments;
}
