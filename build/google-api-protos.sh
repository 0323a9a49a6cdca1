#!/usr/bin/env bash
# Places google/api/annotations.proto and http.proto, which the API's protos import for their REST
# rules, in protos/google/api (git-ignored), so that `buf lint`, `buf build`, `buf generate` and
# `protoc -I protos` work from the repository root. They are the JSON transcoding package's own
# copies (Microsoft.AspNetCore.Grpc.JsonTranscoding, content/protos, the files the server compiles
# with IncludeHttpRuleProtos), taken from the NuGet cache after `dotnet restore`: no network.
set -euo pipefail
cd "$(dirname "$0")/.."

package=microsoft.aspnetcore.grpc.jsontranscoding
version=$(sed -n 's/.*Include="Microsoft.AspNetCore.Grpc.JsonTranscoding" Version="\([^"]*\)".*/\1/p' Directory.Packages.props)
packages=${NUGET_PACKAGES:-$(dotnet nuget locals global-packages --list | sed 's/^global-packages: *//')}
from="${packages%/}/$package/$version/content/protos/google/api"
if [ ! -f "$from/annotations.proto" ] || [ ! -f "$from/http.proto" ]; then
  echo "google-api-protos: $from has no annotations.proto and http.proto; run dotnet restore Tracker.sln first" >&2
  exit 1
fi

mkdir -p protos/google/api
cp "$from/annotations.proto" "$from/http.proto" protos/google/api/
