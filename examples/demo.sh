#!/usr/bin/env bash
# probec demo: builds the Envoy-shaped fixture server, traces it with bpftrace, drives a few
# TLS-like connections with different SNIs and prints what probec decoded: typed events per connection.
#
#   bash examples/demo.sh              (as root; or: sudo bash examples/demo.sh, npm run demo)
#
# Installs what is missing (Debian packages, npm dependencies: everything `npm test` needs too) on the way. Environment:
#   PROBE_FILE        the probe file to run (default: the seed investigation on the Envoy library)
#   FIXTURE_COMPILER  clang (default) or gcc;  FIXTURE_STRING_VIEW absl-class (default for 1.19) or std-alias
#   FIXTURE_GENERATION 1.19 (default) or 1.3x (the newer Envoy shape: std::string_view, setFilterChainInfo…)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PROBE_FILE="${PROBE_FILE:-examples/envoy/accept-flow-lib.probe.ts}"
FIXTURE_GENERATION="${FIXTURE_GENERATION:-1.19}"
FIXTURE_COMPILER="${FIXTURE_COMPILER:-clang}"
# Envoy 1.26+ (the 1.3x shape) aliases absl::string_view to std::string_view: that is its only spelling.
if [ "$FIXTURE_GENERATION" = "1.3x" ]; then default_view=std-alias; else default_view=absl-class; fi
FIXTURE_STRING_VIEW="${FIXTURE_STRING_VIEW:-$default_view}"

say() { printf '\033[1mdemo:\033[0m %s\n' "$*"; }
die() { printf 'demo: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root, bpftrace loads eBPF programs: bash examples/demo.sh as root (or with sudo)"
# The same system setup as CI's (scripts/install-system-deps.sh): afterwards `npm test` runs here
# exactly what CI runs.
bash scripts/install-system-deps.sh
[ node_modules/.package-lock.json -nt package-lock.json ] || { say "npm ci"; npm ci --no-audit --no-fund; }

# The fixture builder, traffic driver and process helpers are the tests' own TypeScript; compile
# them once to plain JavaScript for this script.
JS="test/fixtures/envoy/build/demo-js"
npx tsc --outDir "$JS" --rootDir . --module nodenext --moduleResolution nodenext --target es2022 \
  --types node --skipLibCheck --sourceMap false --declaration false --ignoreConfig \
  test/fixtures/build-fixture.ts test/fixtures/traffic.ts test/e2e/processes.ts test/e2e/bpftrace-output.ts

say "building the fixture Envoy ($FIXTURE_COMPILER, $FIXTURE_STRING_VIEW string_view) and running $PROBE_FILE on it with probec"
[ -f dist/compiler/cli/main.js ] || npm run build
node --input-type=module - "$ROOT/$JS" "$ROOT" "$PROBE_FILE" "$FIXTURE_COMPILER" "$FIXTURE_STRING_VIEW" "$FIXTURE_GENERATION" <<'NODE'
import { spawn } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const [js, root, probeFile, compiler, stringView, generation] = process.argv.slice(2);
const load = (p) => import(pathToFileURL(join(js, p)).href);
const { buildFixture } = await load("test/fixtures/build-fixture.js");
const { driveTraffic } = await load("test/fixtures/traffic.js");
const { startFixture } = await load("test/e2e/processes.js");

let fixture;
try {
  fixture = await buildFixture({ compiler, stringView, generation });
} catch (err) {
  // A bad FIXTURE_* setting or a failed compile: say what, without a stack trace.
  console.error(`demo: ${err.message}`);
  process.exit(1);
}
console.log(`fixture: ${fixture.path}${fixture.cached ? " (cached)" : ""}`);
const server = await startFixture(fixture.path);

// What a user types: probec run FILE.probe.ts --binary envoy=PATH --param ENVOY_PID=PID -p PID
const argv = [join(root, "dist/compiler/cli/main.js"), "run", probeFile, "--binary", `envoy=${fixture.path}`, "--param", `ENVOY_PID=${server.pid}`, "-p", String(server.pid)];
console.log(`$ probec ${argv.slice(1).join(" ")}`);
const probec = spawn(process.execPath, argv, { cwd: root, stdio: ["ignore", "pipe", "inherit"] });
let out = "";
probec.stdout.on("data", (d) => (out += d));
const exited = new Promise((resolve) => probec.on("exit", (code, signal) => resolve({ code, signal })));

const deadline = Date.now() + 120_000;
while (!/^# attached/m.test(out)) {
  if (Date.now() > deadline) throw new Error("probec did not attach within 120 s");
  const early = await Promise.race([exited, new Promise((r) => setTimeout(() => r(null), 100))]);
  if (early) { process.stdout.write(out); await server.stop(); process.exit(1); }
}
const snis = ["api.example.com", "shop.example.org", 'we"ird\\name', "héllo.例え.テスト", ""];
await driveTraffic(server.port, snis.map((sni) => ({ sni, alpn: ["h2", "http/1.1"] })));
await new Promise((r) => setTimeout(r, 1500));
probec.kill("SIGINT");
const { code } = await exited;
await server.stop();
process.stdout.write(out);
process.exit(code ?? 1);
NODE
