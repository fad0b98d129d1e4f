// A hand-written bpftrace script and manifest for the runtime's e2e tests: what `probec build`
// would write for a probe that emits the filter-chain name (a sized string read the seed's way,
// correct on the absl-class variants) with a stack, and pairs onSocketEvent entry/return as a span.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { READY_MARKER, type Manifest } from "../../compiler/ir/manifest.js";
import { withReadyMarker } from "./processes.js";

/** bpftrace 0.17's largest string: 199 bytes of text plus the NUL. */
export const NAME_LIMIT = 199;

const loc = (line: number) => ({ file: "filter-chain.probe.ts", line, column: 3 });
const i32 = { kind: "int", bits: 32, signed: true } as const;

/**
 * The filter-chain event is split the way probec build splits it: a 199-byte string and a stack
 * in one tuple overflow 0.17's 512-byte BPF stack, so the name goes on a continuation line
 * `[-1, nsecs, tid, 1, text, length]` joined to its head by tag, tid and nsecs.
 * `filter` is the predicate of every probe (`/pid == $1/` with the ENVOY_PID parameter).
 */
export function handwrittenScript(binary: string, filter = "/pid == $1/"): string {
  return [
    "// hand-written stand-in for probec build output",
    `uprobe:${binary}:_ZN5Envoy10StreamInfo14StreamInfoImpl18setFilterChainName* ${filter}`,
    "{",
    "  $t = nsecs;",
    "  print((1, $t, pid, tid, comm, ustack(4)));",
    `  print((-1, $t, tid, 1, str(reg("si"), reg("dx")), reg("dx")));`,
    `  @byChain[comm, (int32)reg("dx")] = count();`,
    "}",
    `uprobe:${binary}:_ZN5Envoy7Network15TcpListenerImpl13onSocketEvent* ${filter}`,
    "{",
    "  print((2, nsecs, pid, tid, comm, (int32)arg1));",
    "  @wakeStacks[ustack(3)] = count();",
    "}",
    `uretprobe:${binary}:_ZN5Envoy7Network15TcpListenerImpl13onSocketEvent* ${filter}`,
    "{",
    "  print((3, nsecs, pid, tid, comm));",
    "}",
    "",
  ].join("\n");
}

export function handwrittenManifest(withPidParam = true): Manifest {
  return {
    manifestVersion: 1,
    probecVersion: "0.1.0",
    source: "filter-chain.probe.ts",
    bpftraceVersion: "0.17",
    binaries: [],
    params: withPidParam ? [{ name: "ENVOY_PID", kind: "int", position: 1 }] : [],
    probes: [],
    events: [
      {
        name: "filterChain",
        tag: 1,
        loc: loc(10),
        fields: [
          { name: "name", type: { kind: "sizedString", limit: NAME_LIMIT } },
          { name: "stack", type: { kind: "ustack", frames: 4 } },
        ],
        layout: {
          lines: [
            { part: 0, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }, { kind: "field", field: "stack" }] },
            { part: 1, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "tid" }, { kind: "part" }, { kind: "text", field: "name" }, { kind: "length", field: "name" }] },
          ],
        },
      },
      { name: "socketEvent", tag: 2, loc: loc(20), fields: [{ name: "events", type: i32 }], span: { name: "onSocketEvent", phase: "begin" } },
      { name: "socketEventDone", tag: 3, loc: loc(30), fields: [], span: { name: "onSocketEvent", phase: "end" } },
    ],
    maps: [
      { name: "byChain", loc: loc(11), shape: "map", key: [{ kind: "string" }, i32], value: { kind: "aggregate", fn: "count" } },
      { name: "wakeStacks", loc: loc(21), shape: "map", key: [{ kind: "ustack", frames: 3 }], value: { kind: "aggregate", fn: "count" } },
    ],
    lineMap: [
      { btLine: 2, loc: loc(10) },
      { btLine: 9, loc: loc(20) },
      { btLine: 14, loc: loc(30) },
    ],
    warnings: [],
    readyMarker: READY_MARKER,
  };
}

/** Writes x.bt and x.manifest.json into a fresh temporary folder; returns the .bt path. */
export function writeHandwritten(binary: string, script = handwrittenScript(binary), manifest: Manifest = handwrittenManifest()): string {
  const dir = mkdtempSync(join(tmpdir(), "probec-run-e2e-"));
  const bt = join(dir, "filter-chain.bt");
  // As probec build writes it: BEGIN prints the readiness marker the runtime waits for.
  writeFileSync(bt, withReadyMarker(script));
  writeFileSync(join(dir, "filter-chain.manifest.json"), JSON.stringify(manifest, null, 2));
  return bt;
}

/** A TCP port that was free a moment ago (for a -c fixture, whose LISTENING line we cannot read). */
export async function freePort(): Promise<number> {
  const { createServer } = await import("node:net");
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}
