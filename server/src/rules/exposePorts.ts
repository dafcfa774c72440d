/** EXPOSE's port words as dockerfile2llb/convert_expose.go reads them, for the two EXPOSE checks. */
import { unquoteWord } from '../analysis/fromVariables';
import { Token } from '../analysis/syntax';
import { StageModel } from '../analysis/stageModel';

export interface PortWord {
  word: Token;
  /** The word after expansion (quotes removed). */
  value: string;
  ip: string;
  hostPort: string;
  /** The protocol as written ('' for none), and where it starts in the written word (-1: not mapped). */
  proto: string;
  protoAt: number;
}

/**
 * Every port word of the EXPOSE instructions of the stages that BuildKit's port parsing gets to
 * the lint checks with (parsePort: splitParts at `:` into ip, host port, container port, then
 * splitProtoPort at `/`, which fails, and the build with it, on an empty port or a protocol other
 * than tcp, udp or sctp in any case). A word with a variable is left out: its value is the build's.
 */
export function exposePorts(model: StageModel): PortWord[] {
  const out: PortWord[] = [];
  for (const stage of model.stages) {
    for (const ins of stage.syntax.instructions) {
      if (ins.keyword !== 'EXPOSE') continue;
      for (const word of ins.facts?.words ?? []) {
        const value = unquoteWord(word.text, model.escapeChar);
        if (value === undefined || value.includes(' ')) continue;
        const parts = value.split(':');
        const n = parts.length;
        const ip = n >= 3 ? parts.slice(0, n - 2).join(':') : '';
        const hostPort = n >= 2 ? parts[n - 2] : '';
        const container = parts[n - 1];
        const slash = container.indexOf('/');
        const port = slash === -1 ? container : container.slice(0, slash);
        const proto = slash === -1 ? '' : container.slice(slash + 1);
        if (port === '' || !['', 'tcp', 'udp', 'sctp'].includes(proto.toLowerCase())) continue;
        // The protocol's place in the written word, when the word is written plainly.
        const protoAt = proto !== '' && word.text === value ? value.length - proto.length : -1;
        out.push({ word, value, ip, hostPort, proto, protoAt });
      }
    }
  }
  return out;
}
