#!/usr/bin/env bash
# Installs the Debian packages bibkg needs to build, test and run.
# Non-interactive and idempotent: packages already present are skipped.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  librocksdb-dev libxml2-dev libboost-dev
  libgrpc++-dev libgrpc-dev protobuf-compiler protobuf-compiler-grpc libprotobuf-dev
  libgtest-dev libgmock-dev
  libcli11-dev libicu-dev libstemmer-dev
  libserd-dev libexttextcat-dev libxxhash-dev libyaz-dev yaz libarchive-dev libgoogle-perftools-dev nlohmann-json3-dev libcsv-dev
  raptor2-utils serdi openssl
  python3-grpcio python3-protobuf
)

# Node.js runs citation-js in the tests; any installed node/npm will do.
if ! command -v npm >/dev/null 2>&1; then PACKAGES+=(nodejs npm); fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
