#!/usr/bin/env bash
# probec demo: builds the Envoy-shaped fixture server, traces it with bpftrace, drives a few
# TLS-like connections with different SNIs and prints what the probe saw, decoded.
#
#   sudo bash examples/demo.sh          (or: sudo npm run demo)
#
# Installs what is missing (Debian packages, npm dependencies) on the way. Environment:
#   PROBE_SCRIPT   the bpftrace script to run (default: the seed's hand-written probe)
#   FIXTURE_COMPILER clang (default) or gcc;  FIXTURE_STRING_VIEW absl-class (default) or std-alias
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROBE_SCRIPT="${PROBE_SCRIPT:-examples/handwritten/seed-filter-chain.bt}"
FIXTURE_COMPILER="${FIXTURE_COMPILER:-clang}"
FIXTURE_STRING_VIEW="${FIXTURE_STRING_VIEW:-absl-class}"

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root, bpftrace loads eBPF programs: sudo bash examples/demo.sh"
command -v node >/dev/null || die "Node.js 20+ is needed (node not found)"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' || die "Node.js 20+ is needed (found $(node --version))"

packages=(bpftrace clang libc++-dev libc++abi-dev libevent-dev binutils g++)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! grep -q " /sys/kernel/tracing tracefs" /proc/mounts && ! grep -q " /sys/kernel/debug/tracing tracefs" /proc/mounts; then
  say "mounting tracefs"
  mount -t tracefs tracefs /sys/kernel/tracing
fi

[ -d node_modules/typescript ] || { say "npm ci"; npm ci --no-audit --no-fund; }

# The fixture builder, traffic driver and process helpers are the tests' own TypeScript; compile
# them once to plain JavaScript for this script.
JS="test/fixtures/envoy/build/demo-js"
npx tsc --outDir "$JS" --rootDir test --module nodenext --moduleResolution nodenext --target es2022 \
  --types node --skipLibCheck --sourceMap false --declaration false --ignoreConfig \
  test/fixtures/build-fixture.ts test/fixtures/traffic.ts test/e2e/processes.ts test/e2e/bpftrace-output.ts

say "building the fixture Envoy ($FIXTURE_COMPILER, $FIXTURE_STRING_VIEW string_view) and tracing it with $PROBE_SCRIPT"
node --input-type=module - "$ROOT/$JS" "$ROOT/$PROBE_SCRIPT" "$FIXTURE_COMPILER" "$FIXTURE_STRING_VIEW" <<'NODE'
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [js, script, compiler, stringView] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(js, p)).href);
const { buildFixture } = await load("fixtures/build-fixture.js");
const { driveTraffic } = await load("fixtures/traffic.js");
const { traceFixture } = await load("e2e/processes.js");
const { parseJsonLines, decodeBpftraceJsonString } = await load("e2e/bpftrace-output.js");

const fixture = await buildFixture({ compiler, stringView });
console.log(`fixture: ${fixture.path}${fixture.cached ? " (cached)" : ""}`);
const snis = ["api.example.com", "shop.example.org", 'we"ird\\name', "héllo.例え.テスト", ""];

// printf events, decoded byte-exactly (bpftrace 0.17 escapes bytes >= 0x80 as \uffffffXX).
const printed = (stdout) =>
  stdout
    .split("\n")
    .map((line) => /^\{"type": ?"printf", ?"data": ?"(.*)"\}$/.exec(line))
    .filter(Boolean)
    .map((m) => decodeBpftraceJsonString(m[1]).toString("utf8"));

const run = await traceFixture({
  binary: fixture.path,
  scriptFile: script,
  json: true,
  params: ({ pid, binary }) => [pid, binary],
  traffic: (port) => driveTraffic(port, snis.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] }))),
  until: (stdout) => printed(stdout).length > snis.length,
  untilTimeoutMs: 15_000,
});
console.log(`bpftrace attached ${run.attachedProbes} probes; sent ${run.traffic.length} connections with SNIs ${JSON.stringify(snis)}`);
console.log("--- what the probe printed (decoded) ---");
for (const line of printed(run.stdout)) process.stdout.write(line.endsWith("\n") ? line : `${line}\n`);
const other = parseJsonLines(run.stdout).filter((e) => e.type !== "printf" && e.type !== "attached_probes");
for (const e of other) console.log(JSON.stringify(e));
if (run.exitCode !== 0) {
  console.error(run.stderr);
  process.exit(1);
}
NODE
