// Hand-written manifest parts for decoder tests: the events and maps a probe file would declare.
import type { ManifestEvent } from "../../../compiler/ir/manifest.js";
import type { MapDecl } from "../../../compiler/ir/program.js";

const loc = { file: "t.probe.ts", line: 1, column: 1 };
const i32 = { kind: "int", bits: 32, signed: true } as const;
const u16 = { kind: "int", bits: 16, signed: false } as const;
const u64 = { kind: "int", bits: 64, signed: false } as const;

export const events: ManifestEvent[] = [
  { name: "accepted", tag: 1, loc, fields: [{ name: "fd", type: i32 }, { name: "port", type: u16 }] },
  { name: "sni", tag: 2, loc, fields: [{ name: "name", type: { kind: "sizedString", limit: 64 } }, { name: "conn", type: u64 }] },
  { name: "label", tag: 3, loc, fields: [{ name: "text", type: { kind: "string" } }] },
  { name: "wake", tag: 4, loc, fields: [{ name: "stack", type: { kind: "ustack" } }], span: { name: "wake", phase: "begin" } },
  { name: "wakeEnd", tag: 5, loc, fields: [{ name: "n", type: i32 }], span: { name: "wake", phase: "end" } },
  {
    name: "split",
    tag: 6,
    loc,
    fields: [
      { name: "fd", type: i32 },
      { name: "a", type: { kind: "sizedString", limit: 200 } },
      { name: "b", type: { kind: "string" } },
    ],
    layout: {
      lines: [
        { part: 0, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "pid" }, { kind: "tid" }, { kind: "comm" }, { kind: "field", field: "fd" }] },
        { part: 1, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "tid" }, { kind: "part" }, { kind: "text", field: "a" }, { kind: "length", field: "a" }] },
        { part: 2, slots: [{ kind: "tag" }, { kind: "nsecs" }, { kind: "tid" }, { kind: "part" }, { kind: "field", field: "b" }] },
      ],
    },
  },
];

export const maps: MapDecl[] = [
  { name: "byConn", loc, shape: "map", key: [i32, { kind: "string" }], value: { kind: "aggregate", fn: "count" } },
  { name: "lat", loc, shape: "map", key: [{ kind: "string" }], value: { kind: "aggregate", fn: "hist" } },
  { name: "start", loc, shape: "perThread", key: null, value: u64 },
  { name: "total", loc, shape: "scalar", key: null, value: { kind: "aggregate", fn: "sum" } },
  { name: "st", loc, shape: "map", key: [{ kind: "ustack" }], value: { kind: "aggregate", fn: "count" } },
  { name: "s", loc, shape: "scalar", key: null, value: { kind: "aggregate", fn: "stats" } },
  { name: "two", loc, shape: "map", key: [{ kind: "string" }, { kind: "string" }], value: { kind: "aggregate", fn: "count" } },
  { name: "rec", loc, shape: "map", key: [i32], value: { kind: "record", fields: [{ name: "daddr", type: u64 }, { name: "host", type: { kind: "string" } }] } },
];

export const manifestPart = { events, maps };
