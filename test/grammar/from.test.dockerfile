# SYNTAX TEST "source.dockerfile" "FROM image AS <stage name>"
# The stage name after AS: entity.name.type.stage.dockerfile. FROM and AS keep the base
# grammar's keyword scope. The image is left alone (no stage scope).

FROM golang:1.22 AS build
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile keyword.other.special-method.dockerfile
#                ^^ keyword.other.special-method.dockerfile
#                   ^^^^^ entity.name.type.stage.dockerfile
#                   ^^^^^ - entity.name.type.stage.reference.dockerfile

from --platform=$BUILDPLATFORM golang:1.22-alpine as builder
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#                              ^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#                                                 ^^ keyword.other.special-method.dockerfile
#                                                    ^^^^^^^ entity.name.type.stage.dockerfile

FrOm alpine As Runtime.v2_x-1
# <---- keyword.other.special-method.dockerfile
#           ^^ keyword.other.special-method.dockerfile
#              ^^^^^^^^^^^^^^ entity.name.type.stage.dockerfile

  FROM   base   AS   leading
# ^^^^ keyword.other.special-method.dockerfile
#        ^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#               ^^ keyword.other.special-method.dockerfile
#                    ^^^^^^^ entity.name.type.stage.dockerfile

FROM --platform=linux/amd64 --build-arg=x ${BASE_IMAGE}:${TAG} AS from-args
# <---- keyword.other.special-method.dockerfile
#                                         ^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#                                                              ^^ keyword.other.special-method.dockerfile
#                                                                 ^^^^^^^^^ entity.name.type.stage.dockerfile

# Flags on a continued line, the image and name on the next one.
FROM --platform=$BUILDPLATFORM \
# <---- keyword.other.special-method.dockerfile
#    ^^^^^^^^^^^^^^^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
    golang:1.22 AS cross
#   ^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#               ^^ keyword.other.special-method.dockerfile
#                  ^^^^^ entity.name.type.stage.dockerfile

# "as" as an image and as a stage name.
FROM as AS final
#    ^^ - keyword.other.special-method.dockerfile entity.name.type.stage.dockerfile
#       ^^ keyword.other.special-method.dockerfile
#          ^^^^^ entity.name.type.stage.dockerfile
FROM scratch AS as
#    ^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
#            ^^ keyword.other.special-method.dockerfile
#               ^^ entity.name.type.stage.dockerfile
#               ^^ - keyword.other.special-method.dockerfile

# A plain FROM word may be an image or an earlier stage: a grammar cannot tell, so it is
# left to the base grammar (the language server knows).
FROM build
# <---- keyword.other.special-method.dockerfile
#    ^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile
FROM golang:1.22
#    ^^^^^^^^^^^ - entity.name.type.stage.dockerfile entity.name.type.stage.reference.dockerfile

# Not stage names: variables (BuildKit does not expand the name) and invalid names.
FROM alpine AS $NAME
#           ^^ keyword.other.special-method.dockerfile
#              ^^^^^ - entity.name.type.stage.dockerfile
FROM alpine AS ${NAME}
#              ^^^^^^^ - entity.name.type.stage.dockerfile
FROM alpine AS 1st
#              ^^^ - entity.name.type.stage.dockerfile

# Comments are the base grammar's.
# FROM alpine AS commented
#      ^^^^^^ - entity.name.type.stage.dockerfile
#                ^^^^^^^^^ comment.line.number-sign.dockerfile
#                ^^^^^^^^^ - entity.name.type.stage.dockerfile keyword.other.special-method.dockerfile
  # FROM alpine AS indented
#                  ^^^^^^^^ comment.line.number-sign.dockerfile
#                  ^^^^^^^^ - entity.name.type.stage.dockerfile
