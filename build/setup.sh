#!/usr/bin/env bash
# Installs what the test command needs on a fresh machine, and nothing when it is already there:
# PostgreSQL 15, python3-grpcio, python3-prometheus-client, python3-aiosmtpd (the SMTP server of
# the email sender's tests), curl (the README's curl commands, run by the interop tests), chromium
# (the web UI's browser tests), protoc with its grpc plugins and the well-known types
# (protobuf-compiler, protobuf-compiler-grpc, libprotobuf-dev: the generated Python client) from
# Debian, the pinned npm clients and generators, the NuGet packages; then places google/api's
# protos in protos/ (build/google-api-protos.sh) for buf and protoc.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
/usr/bin/python3 -c 'import grpc' 2>/dev/null || missing+=(python3-grpcio)
/usr/bin/python3 -c 'import prometheus_client' 2>/dev/null || missing+=(python3-prometheus-client)
/usr/bin/python3 -c 'import aiosmtpd' 2>/dev/null || missing+=(python3-aiosmtpd)
[ -x /usr/bin/curl ] || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/protoc ] || missing+=(protobuf-compiler)
[ -x /usr/bin/grpc_python_plugin ] || missing+=(protobuf-compiler-grpc)
[ -f /usr/include/google/protobuf/timestamp.proto ] || missing+=(libprotobuf-dev)
/usr/bin/python3 -c 'import google.protobuf' 2>/dev/null || missing+=(python3-protobuf)
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]} from Debian"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ ! -x tests/interop/node_modules/.bin/buf ] || [ tests/interop/package-lock.json -nt tests/interop/node_modules/.package-lock.json ]; then
  echo "setup: installing the pinned npm clients (tests/interop)"
  # npm ci installs exactly the lock (which lists every platform's optional buf binary) and
  # never rewrites it, so the test command leaves the work tree clean.
  (cd tests/interop && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet restore Tracker.sln --verbosity quiet
bash build/google-api-protos.sh
