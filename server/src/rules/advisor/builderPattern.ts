import { Rule } from '../rule';

/**
 * The builder pattern: this Dockerfile packs what another one (`Dockerfile.build`) compiled,
 * and a script carries the artifacts across with `docker create` and `docker cp`. Two images, a
 * script and a temporary container do what one multi-stage Dockerfile does with `COPY --from`.
 * Information on the small Dockerfile's FROM, only while it has one stage (with more it has
 * begun the move). The file system facts come from the protocol layer or the CLI
 * (workspace/builderPatternFiles.ts) in the rule context; without them the rule says nothing.
 */
export const builderPattern: Rule = {
  code: 'BuilderPattern',
  buildkitCheck: false,
  advisor: true,
  usesContext: true,
  severity: 'information',
  description: 'A Dockerfile fed by a builder Dockerfile and a docker create / docker cp script: one multi-stage Dockerfile does the same.',
  check(model, report, context) {
    const found = context?.builderPattern;
    if (!found || model.stages.length !== 1) return;
    const stage = model.stages[0];
    report({
      message:
        `${found.script} builds ${found.buildDockerfile}, copies its artifacts out with docker create and docker cp, and this Dockerfile packs them: the builder pattern. ` +
        `A multi-stage build does it in one file: put ${found.buildDockerfile}'s instructions in a first stage (FROM … AS build), ` +
        'copy the artifacts from it with COPY --from=build, and the script, the temporary container and the second image go away.',
      range: stage.syntax.from.range,
      data: { ...found },
    });
  },
};
