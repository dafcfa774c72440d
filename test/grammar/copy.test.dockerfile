# SYNTAX TEST "source.dockerfile" "COPY --from=<stage>"
# The value of --from= on COPY and ONBUILD COPY, wherever it stands among the flags:
# a name is entity.name.type.stage.reference.dockerfile, an index
# constant.numeric.stage-index.dockerfile.

COPY --from=build /out /app
# <---- keyword.other.special-method.dockerfile
#           ^^^^^ entity.name.type.stage.reference.dockerfile
#           ^^^^^ - entity.name.type.stage.dockerfile constant.numeric.stage-index.dockerfile
#                 ^^^^ - entity.name.type.stage.reference.dockerfile

COPY --chown=app:app --from=build --chmod=755 /out /app
#    ^^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
#                           ^^^^^ entity.name.type.stage.reference.dockerfile
#                                 ^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile

COPY --link --from=0 /out /app
#                  ^ constant.numeric.stage-index.dockerfile
#                  ^ - entity.name.type.stage.reference.dockerfile
COPY --from=12 /out /app
#           ^^ constant.numeric.stage-index.dockerfile

copy --from=Build.Stage_2-x /a /b
# <---- keyword.other.special-method.dockerfile
#           ^^^^^^^^^^^^^^^ entity.name.type.stage.reference.dockerfile

ONBUILD COPY --from=build /a /b
# <------- keyword.control.dockerfile
#       ^^^^ keyword.other.special-method.dockerfile
#                   ^^^^^ entity.name.type.stage.reference.dockerfile
onbuild copy --from=1 /a /b
# <------- keyword.control.dockerfile
#                   ^ constant.numeric.stage-index.dockerfile

# BuildKit strips quotes from flag values.
COPY --from="build" --chown="app user" /a /b
#            ^^^^^ entity.name.type.stage.reference.dockerfile
#                   ^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from='build' /a /b
#            ^^^^^ entity.name.type.stage.reference.dockerfile

# Flags over continued lines, with a comment line among them.
COPY --chown=app:app \
     --from=deps \
#           ^^^^ entity.name.type.stage.reference.dockerfile
  # a comment inside the instruction
#     ^^^^^^^ comment.line.number-sign.dockerfile
#     ^^^^^^^ - entity.name.type.stage.reference.dockerfile
     --link \
     /src /dst
#    ^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from=build\
#           ^^^^^ entity.name.type.stage.reference.dockerfile
  /x /y

# Not stage references.
COPY --from=$STAGE /a /b
#           ^^^^^^ - entity.name.type.stage.reference.dockerfile constant.numeric.stage-index.dockerfile
COPY --from=${STAGE} /a /b
#           ^^^^^^^^ - entity.name.type.stage.reference.dockerfile constant.numeric.stage-index.dockerfile
COPY --from=build-$VARIANT /a /b
#           ^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from="$STAGE" /a /b
#            ^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from=0$X /a /b
#           ^^^ - entity.name.type.stage.reference.dockerfile constant.numeric.stage-index.dockerfile
COPY --from=alpine:3.19 /a /b
#           ^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from=docker.io/library/alpine /a /b
#           ^^^^^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from=nginx@sha256:0123abcd /a /b
#           ^^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
COPY --from= /a /b
#            ^^ - entity.name.type.stage.reference.dockerfile
# After the first argument --from= is a path, not a flag.
COPY /src --from=build /dst
#                ^^^^^ - entity.name.type.stage.reference.dockerfile
# Flag names are case-sensitive.
COPY --FROM=build /a /b
#           ^^^^^ - entity.name.type.stage.reference.dockerfile
# ADD takes no --from.
ADD --from=build /a /b
#          ^^^^^ - entity.name.type.stage.reference.dockerfile
# In a comment.
# COPY --from=build /a /b
#             ^^^^^ - entity.name.type.stage.reference.dockerfile
#             ^^^^^ comment.line.number-sign.dockerfile
# In a RUN command, plain or quoted, and in JSON form.
RUN docker buildx build --from=build .
#          ^^^^^ - entity.name.type.stage.reference.dockerfile
RUN echo "--from=build"
#                ^^^^^ - entity.name.type.stage.reference.dockerfile
#                ^^^^^ string.quoted.double.dockerfile
RUN echo '--from=build'
#                ^^^^^ - entity.name.type.stage.reference.dockerfile
#                ^^^^^ string.quoted.single.dockerfile
RUN ["sh", "-c", "cp --from=build"]
#                           ^^^^^ - entity.name.type.stage.reference.dockerfile
CMD cp --from=build /a /b
#             ^^^^^ - entity.name.type.stage.reference.dockerfile
LABEL copy="COPY --from=build /a /b"
#                       ^^^^^ - entity.name.type.stage.reference.dockerfile
