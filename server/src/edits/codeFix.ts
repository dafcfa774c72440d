/** Edits of one document, and fixes made of them: what rules' quick fixes and features both write. */
import { Range } from '../analysis/positions';

export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix or refactoring offered for a finding, as plain edits of the one document. */
export interface CodeFix {
  title: string;
  kind: 'quickfix' | 'refactor.rewrite';
  /** Non-overlapping edits in file order; line breaks are written as the document writes them. */
  edits: TextEdit[];
  isPreferred?: boolean;
  /** Safe to apply everywhere in the file at once (source.fixAll): it never changes what the build does. */
  fixAll?: boolean;
  /**
   * Text the fix wrote that the user should fill in or check (a path it could not infer), where
   * it lies once the edits are applied: an editor that can selects it after applying the fix.
   */
  placeholder?: Range;
}
