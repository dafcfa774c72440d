# SYNTAX TEST "source.dockerfile" "RUN --mount=…,from=<stage>"
# The value of from= among the options of RUN --mount=, in any position:
# entity.name.type.stage.reference.dockerfile.

RUN --mount=from=build,target=/in make
# <--- keyword.other.special-method.dockerfile
#                ^^^^^ entity.name.type.stage.reference.dockerfile
#                ^^^^^ - entity.name.type.stage.dockerfile constant.numeric.stage-index.dockerfile
#                             ^^^ - entity.name.type.stage.reference.dockerfile
#                                 ^^^^ - entity.name.type.stage.reference.dockerfile

RUN --mount=type=bind,from=build,source=/out,target=/in make
#           ^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
#                          ^^^^^ entity.name.type.stage.reference.dockerfile
#                                       ^^^^ - entity.name.type.stage.reference.dockerfile

RUN --mount=type=cache,target=/root/.cache --mount=type=bind,target=/in,from=deps go build
#                             ^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
#                                                                            ^^^^ entity.name.type.stage.reference.dockerfile
#                                                                                    ^^^^^ - entity.name.type.stage.reference.dockerfile

RUN --network=none --mount=type=bind,FROM=Deps.v2,target=/d --security=sandbox true
#   ^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
#                                         ^^^^^^^ entity.name.type.stage.reference.dockerfile
#                                                           ^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile

run --mount=type=bind,From=build true
# <--- keyword.other.special-method.dockerfile
#                          ^^^^^ entity.name.type.stage.reference.dockerfile

ONBUILD RUN --mount=from=build true
# <------- keyword.control.dockerfile
#       ^^^ keyword.other.special-method.dockerfile
#                        ^^^^^ entity.name.type.stage.reference.dockerfile

# Quoted mount options (BuildKit reads them as CSV).
RUN --mount="type=bind,from=build" true
#                           ^^^^^ entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,"from=build",target=/x true
#                           ^^^^^ entity.name.type.stage.reference.dockerfile

# Mounts over continued lines.
RUN --mount=type=cache,target=/root/.cache \
    --mount=type=bind,from=deps,target=/deps \
#                          ^^^^ entity.name.type.stage.reference.dockerfile
    # a comment inside the instruction
    --mount=type=bind,source=/x,from=tools,target=/t \
#                                    ^^^^^ entity.name.type.stage.reference.dockerfile
    make --mount=from=build
#                     ^^^^^ - entity.name.type.stage.reference.dockerfile

# Not stage references.
# An index: BuildKit looks up an image named "0" for a mount, not stage 0.
RUN --mount=type=bind,from=0,target=/x true
#                          ^ - entity.name.type.stage.reference.dockerfile constant.numeric.stage-index.dockerfile
RUN --mount=type=bind,from=$STAGE,target=/x true
#                          ^^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,from=${STAGE} true
#                          ^^^^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,from=build-$V true
#                          ^^^^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,from=alpine:3.19,target=/x true
#                          ^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,from=docker.io/library/alpine true
#                          ^^^^^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,xfrom=build,target=/x true
#                           ^^^^^ - entity.name.type.stage.reference.dockerfile
RUN --mount=type=bind,target=/from=build true
#                                  ^^^^^ - entity.name.type.stage.reference.dockerfile
# Flag names are case-sensitive.
RUN --MOUNT=type=bind,from=build true
#                          ^^^^^ - entity.name.type.stage.reference.dockerfile
# In the command, a string or a comment.
RUN make --mount=from=build
#                     ^^^^^ - entity.name.type.stage.reference.dockerfile
RUN echo from=build --mount=type=bind,from=build
#             ^^^^^ - entity.name.type.stage.reference.dockerfile
#                                          ^^^^^ - entity.name.type.stage.reference.dockerfile
RUN echo "--mount=type=bind,from=build"
#                                ^^^^^ - entity.name.type.stage.reference.dockerfile
#                                ^^^^^ string.quoted.double.dockerfile
# RUN --mount=type=bind,from=build true
#                            ^^^^^ - entity.name.type.stage.reference.dockerfile
