import { unquoteWord } from '../analysis/fromVariables';
import { Range } from '../analysis/positions';
import { Rule } from './rule';

/** A name that is, or starts or ends with, one of these words (case-insensitive, `_` between words). */
const SECRET = /(?:_|^)(?:apikey|auth|credential|credentials|key|password|pword|passwd|secret|token)(?:_|$)/i;
/** … unless it also holds one of these (PUBLIC_KEY, TOKEN_FILE, KEY_VERSION). */
const ALLOWED = /(?:_|^)(?:public|file|version)(?:_|$)/i;

/**
 * BuildKit lint SecretsUsedInArgOrEnv (dockerfile2llb/validations.go validateNoSecretKey, from
 * dispatchEnv for each ENV key and dispatchArg for each ARG of a stage; the global ARGs before
 * the first FROM are not checked): a name that looks like a secret (getSecretsRegex) in an ARG or
 * ENV, whose value stays in the image's config or history.
 * Message: `Do not use ARG or ENV instructions for sensitive data (ENV "API_TOKEN")`, on the name.
 */
export const secretsUsedInArgOrEnv: Rule = {
  code: 'SecretsUsedInArgOrEnv',
  buildkitCheck: true,
  severity: 'warning',
  description: 'Sensitive data should not be used in the ARG or ENV commands.',
  check(model, report) {
    const found = (instruction: 'ARG' | 'ENV', name: string, range: Range) => {
      if (!SECRET.test(name) || ALLOWED.test(name)) return;
      report({
        message: `Do not use ARG or ENV instructions for sensitive data (${instruction} ${JSON.stringify(name)}): the value stays in the image's ${instruction === 'ENV' ? 'configuration' : 'build history'}. Pass it with a secret mount (RUN --mount=type=secret,id=…) instead.`,
        range,
        data: { name },
      });
    };
    for (const stage of model.stages) {
      for (const a of stage.syntax.args) found('ARG', a.name, a.nameRange);
      for (const ins of stage.syntax.instructions) {
        if (ins.keyword !== 'ENV') continue;
        for (const pair of ins.facts?.pairs ?? []) {
          // The key as dispatch sees it, after its expansion (quotes removed); a variable in it decides nothing here.
          const name = unquoteWord(pair.key.text, model.escapeChar);
          if (name !== undefined) found('ENV', name, pair.key.range);
        }
      }
    }
  },
};
