import { sameRange } from '../analysis/positions';
import { Rule } from './rule';

/**
 * `$TARGETPLATFORM` or `${TARGETPLATFORM}` alone (the default forms `${TARGETPLATFORM:-…}` and
 * `${TARGETPLATFORM-…}` too: the variable is always set), what reportRedundantTargetPlatform
 * recognises (one variable matched, none unmatched, the result equal to TARGETPLATFORM's value).
 */
const TARGET_PLATFORM_ONLY = /^(?:\$TARGETPLATFORM|\$\{TARGETPLATFORM(?::?-[^$}]*)?\})$/;

/**
 * BuildKit lint RedundantTargetPlatform (dockerfile2llb/validations.go
 * reportRedundantTargetPlatform): `FROM --platform=$TARGETPLATFORM` asks for what a FROM gets
 * anyway.
 * Message: "Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the
 * default behavior", on the flag.
 */
export const redundantTargetPlatform: Rule = {
  code: 'RedundantTargetPlatform',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior.',
  check(model, report) {
    for (const stage of model.stages) {
      const platform = stage.syntax.instructions[0]?.facts?.platform;
      if (!platform || !TARGET_PLATFORM_ONLY.test(platform.value)) continue;
      report({
        message: `Setting platform to predefined ${platform.value} in FROM is redundant as this is the default behavior.`,
        range: platform.flag,
      });
    }
  },
  /**
   * Removes the flag (and the blanks after it). Not for fix-all: without an explicit platform,
   * a build that names no --platform may pick the base image's own platform (dockerfile2llb
   * autoDetectPlatform), so the result can differ on another machine.
   */
  fixes(model, finding) {
    const stage = model.stageAt(finding.range.start);
    const platform = stage?.syntax.instructions[0]?.facts?.platform;
    if (!platform || !sameRange(platform.flag, finding.range)) return [];
    return [{ title: `Remove --platform=${platform.value}`, kind: 'quickfix', edits: [{ range: platform.removal, newText: '' }], isPreferred: true }];
  },
};
