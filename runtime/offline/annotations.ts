// Lines a recording may carry besides bpftrace's own, written by probec's Kubernetes job around
// plain bpftrace (see compiler/deploy/finder-script.ts): they have JSON types bpftrace never prints.
//   {"type": "probec_label", "data": "default/web-0"}                   what the recording is of
//   {"type": "probec_maps", "data": {"pid": 7, "binary": "envoy", "line": "<a /proc/7/maps line>"}}
//   {"type": "probec_stderr", "data": "<a line bpftrace wrote on stderr>"}
import type { Mapping } from "../symbolize/process-maps.js";
import { parseProcMaps } from "../symbolize/process-maps.js";

export const ANNOTATION_PREFIX = '{"type": "probec_';

export type Annotation =
  | { kind: "label"; label: string }
  | { kind: "maps"; pid: number; binary: string | null; mapping: Mapping }
  | { kind: "stderr"; text: string }
  | { kind: "bad"; reason: string };

export function parseAnnotation(line: string): Annotation {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { kind: "bad", reason: "a probec annotation that is not valid JSON" };
  }
  const { type, data } = (value ?? {}) as { type?: unknown; data?: unknown };
  if (type === "probec_label" && typeof data === "string" && data.trim() !== "") return { kind: "label", label: data.trim() };
  if (type === "probec_stderr" && typeof data === "string") return { kind: "stderr", text: data };
  if (type === "probec_maps" && typeof data === "object" && data !== null) {
    const d = data as { pid?: unknown; binary?: unknown; line?: unknown };
    const [mapping] = typeof d.line === "string" ? parseProcMaps(d.line) : [];
    if (typeof d.pid === "number" && mapping) return { kind: "maps", pid: d.pid, binary: typeof d.binary === "string" && d.binary !== "" ? d.binary : null, mapping };
  }
  return { kind: "bad", reason: `a probec annotation probec does not know (${JSON.stringify(type)})` };
}
