#!/usr/bin/env bash
# Installs what PipeRL needs on a fresh Debian machine with the .NET SDK, idempotently, then builds it.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
dpkg -s libmujoco-dev >/dev/null 2>&1 || need_apt+=(libmujoco-dev)
if [ ${#need_apt[@]} -gt 0 ]; then
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd=(sudo)
  if "${sudo_cmd[@]}" apt-get update -qq && \
     DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null; then
    echo "setup: installed ${need_apt[*]}"
  else
    echo "setup: could not install ${need_apt[*]} (MuJoCo tasks will be unavailable; run as root or install it with apt-get)" >&2
  fi
fi

if ! command -v dotnet >/dev/null 2>&1; then
  echo "setup: the .NET 10 SDK is required (https://dotnet.microsoft.com/download); 'dotnet' is not on PATH" >&2
  exit 1
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
dotnet build PipeRL.slnx -c Release -nologo -v quiet -clp:ErrorsOnly
