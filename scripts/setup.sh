#!/usr/bin/env bash
# Installs the Debian 12 packages Edict builds and tests with, and the SARIF validator when npm is
# available; does nothing when all are present.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  antlr4 default-jre-headless libantlr4-runtime-dev
  llvm-19-dev libzstd-dev
  libfmt-dev doctest-dev libsimdjson-dev libre2-dev libcli11-dev libutf8proc-dev
  libhowardhinnant-date-dev nlohmann-json3-dev libbenchmark-dev libsodium-dev libjemalloc-dev libxxhash-dev
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The SARIF validator used by the findings_sarif_validates test (npm package, a self-contained
# binary): installed into the git-ignored .tools/sarif when node/npm exist and it is not there yet.
sarif_tool_dir=$(cd "$(dirname "$0")/.." && pwd)/.tools/sarif
sarif_multitool=$sarif_tool_dir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$sarif_multitool" ] && command -v node > /dev/null && command -v npm > /dev/null; then
  echo "setup: installing the SARIF Multitool into $sarif_tool_dir"
  mkdir -p "$sarif_tool_dir"
  npm install --prefix "$sarif_tool_dir" --no-save --no-audit --no-fund --loglevel=error \
    @microsoft/sarif-multitool-linux
  # npm may skip the package's postinstall (chmod u+x); do it here.
  chmod u+x "$sarif_multitool"
fi
