#!/usr/bin/env bash
# Generates a Tracker client from the repository's protos, as the README's "Clients in other
# languages" shows: python (Debian's protoc and its grpc plugin) or typescript (buf with
# @bufbuild/protoc-gen-es), into OUT_DIR. Needs build/setup.sh first: protoc, the grpc plugin and
# the pinned npm tools installed, google/api's protos placed in protos/google.
#
# Usage: bash examples/clients/generate.sh python|typescript OUT_DIR
set -euo pipefail
if [ $# -ne 2 ]; then
  echo "usage: $0 python|typescript OUT_DIR" >&2
  exit 2
fi
language=$1
out=$(mkdir -p "$2" && cd "$2" && pwd)
cd "$(dirname "$0")/../.."

# What build/setup.sh places, checked first, so that a missing step is named rather than shown as
# a dozen unresolved imports.
missing() { echo "$1 is missing: run 'bash build/setup.sh' from the repository root first." >&2; exit 2; }
[ -f protos/google/api/annotations.proto ] || missing "protos/google/api/annotations.proto (google/api's protos)"

case "$language" in
  python)
    command -v protoc >/dev/null || missing "protoc (Debian's protobuf-compiler)"
    [ -x /usr/bin/grpc_python_plugin ] || missing "/usr/bin/grpc_python_plugin (Debian's protobuf-compiler-grpc)"
    # Debian's protoc 3.21 (protobuf-compiler) understands proto3 `optional`; the well-known types
    # come from its own include directory, google/api from protos/google.
    protoc -I protos \
      --python_out="$out" \
      --grpc_python_out="$out" --plugin=protoc-gen-grpc_python=/usr/bin/grpc_python_plugin \
      $(find protos -name '*.proto' | sort)
    ;;
  typescript)
    [ -x tests/interop/node_modules/.bin/buf ] || missing "tests/interop/node_modules/.bin/buf (the pinned npm tools)"
    # buf and protoc-gen-es, pinned in tests/interop/package.json.
    PATH="$PWD/tests/interop/node_modules/.bin:$PATH" \
      buf generate --template examples/clients/typescript/buf.gen.yaml --output "$out"
    ;;
  *)
    echo "unknown language $language: python or typescript" >&2
    exit 2
    ;;
esac
