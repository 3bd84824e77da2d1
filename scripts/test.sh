#!/usr/bin/env bash
# Sets PipeRL up (idempotently) and runs the default test suite; long tests are skipped (see README).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet test PipeRL.slnx -c Release --no-build --filter "Category!=Long" "$@"
