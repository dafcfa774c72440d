/**
 * BuildKit's parser directive block (frontend/dockerfile/parser/directives.go,
 * DirectiveParser.ParseLine): the leading `# key=value` lines whose key it knows. The first
 * line of another kind ends it, an unknown key included, so a directive after that is a comment.
 * (Its other line rules, a `#` in the first column and no blank line, dockerfile-ast applies too.)
 */
import { Directive } from './syntax';

const KNOWN_DIRECTIVES: ReadonlySet<string> = new Set(['syntax', 'escape', 'check']);

/** The directives BuildKit reads, in order: those before the first unknown key. */
export function buildkitDirectives(directives: readonly Directive[]): Directive[] {
  const block: Directive[] = [];
  for (const d of directives) {
    if (!KNOWN_DIRECTIVES.has(d.name)) break;
    block.push(d);
  }
  return block;
}
