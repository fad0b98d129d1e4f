#!/usr/bin/env bash
# What the tests and the demo need from the system, in one place: Debian packages (bpftrace, the
# fixture's toolchains, binutils, and the real third-party libraries other tests trace), tracefs and
# debugfs mounted (tracepoints are "not found" without them), and the npm dependencies. As root;
# with sudo where there is one and we are not root. Used by .ci/run and examples/demo.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "install-system-deps: needs root (or sudo) to install packages and mount tracefs" >&2; exit 1; }
  SUDO="sudo"
fi
say() { printf 'setup: %s\n' "$*"; }

# bpftrace + toolchains for the fixture Envoy (clang/libc++ and g++/libstdc++, libevent), binutils
# for nm/c++filt; libabsl-dev, libllvm14 and libgrpc++1.51 are real third-party libraries tests trace.
packages=(bpftrace clang g++ libc++-dev libc++abi-dev libevent-dev binutils libabsl-dev libllvm14 libgrpc++1.51)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

mounted() { grep -q " $1 $2 " /proc/mounts; }
if ! mounted /sys/kernel/tracing tracefs && ! mounted /sys/kernel/debug/tracing tracefs; then
  say "mounting tracefs at /sys/kernel/tracing"
  $SUDO mount -t tracefs tracefs /sys/kernel/tracing
fi
if ! mounted /sys/kernel/debug debugfs; then
  say "mounting debugfs at /sys/kernel/debug"
  $SUDO mount -t debugfs debugfs /sys/kernel/debug
fi

command -v node >/dev/null || { echo "install-system-deps: Node.js 20+ is required" >&2; exit 1; }
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || { echo "install-system-deps: Node.js 20+ is required, found $(node --version)" >&2; exit 1; }
