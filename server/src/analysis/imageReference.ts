/**
 * Whether a word is an image reference BuildKit can parse (distribution/reference's
 * ParseNormalizedNamed grammar: `[domain/]path[:tag][@digest]`, path components lower case).
 * A FROM base that is neither an earlier stage nor such a reference fails the build with
 * "failed to parse stage name".
 */
const DOMAIN_COMPONENT = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:.]+\\])(?::[0-9]+)?`;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = '[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}';
const REFERENCE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*(?::${TAG})?(?:@${DIGEST})?$`);

export function isValidImageReference(word: string): boolean {
  if (word.length === 0 || word.length > 4096) return false;
  // The first component is a domain only when it looks like one (has `.` or `:`, or is localhost).
  const slash = word.indexOf('/');
  if (slash !== -1) {
    const first = word.slice(0, slash);
    const isDomain = first.includes('.') || first.includes(':') || first === 'localhost' || first !== first.toLowerCase();
    if (!isDomain && !new RegExp(`^${PATH_COMPONENT}$`).test(first)) return false;
  }
  return REFERENCE.test(word);
}
