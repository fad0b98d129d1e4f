// bpftrace types a map from its first assignment; a map that is read but never written anywhere in
// the script is "undefined" to it and the whole script is rejected. Say so at the first read, in
// the probe file's terms, before bpftrace sees the script.
import type { ResolvedProgram, SourceLoc, Stmt } from "../ir/program.js";
import { walkStmts } from "./ir-walk.js";

export interface UnwrittenMapRead {
  map: string;
  loc: SourceLoc;
}

/** Every map some probe that is attached writes (sets or aggregates). */
export function mapsWritten(program: ResolvedProgram): Set<string> {
  const written = new Set<string>();
  for (const probe of program.probes) {
    const bodies = probe.attachments.length > 0 ? probe.attachments : probe.skipped !== undefined ? [] : [{ filter: probe.filter, body: probe.body }];
    for (const a of bodies) {
      walkStmts(a.body, () => {}, (s) => {
        if (s.kind === "mapSet" || s.kind === "mapAggregate") written.add(s.map);
      });
    }
  }
  return written;
}

export function mapsReadNeverWritten(program: ResolvedProgram): UnwrittenMapRead[] {
  const written = new Set<string>();
  const firstRead = new Map<string, SourceLoc>();
  for (const probe of program.probes) {
    // A probe left out (optional, not taken) writes nothing and reads nothing.
    const bodies = probe.attachments.length > 0 ? probe.attachments : probe.skipped !== undefined ? [] : [{ filter: probe.filter, body: probe.body }];
    for (const a of bodies) {
      let at: SourceLoc = probe.loc;
      const visit = (e: { kind: string; map?: string }) => {
        if (e.kind === "mapGet" && e.map !== undefined && !firstRead.has(e.map)) firstRead.set(e.map, at);
      };
      if (a.filter) {
        const filterStmt: Stmt = { kind: "if", cond: a.filter, then: [], else: [], loc: probe.loc };
        walkStmts([filterStmt], visit);
      }
      walkStmts(a.body, visit, (s) => {
        at = s.loc;
        if (s.kind === "mapSet" || s.kind === "mapAggregate") written.add(s.map);
      });
    }
  }
  return [...firstRead].filter(([map]) => !written.has(map)).map(([map, loc]) => ({ map, loc }));
}
