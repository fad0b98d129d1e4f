// Collects what evaluation declares — binaries, params, maps, events, probes — with unique names,
// and assembles the ProbeProgram.
import { IR_VERSION, type BinaryDecl, type EventDecl, type FieldType, type MapDecl, type ParamDecl, type Probe, type ProbeProgram, type SourceLoc, type Stmt } from "../ir/program.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import { eventSchemaConflict, paramConflict, type SourceSpan } from "../diagnostics/messages.js";
import { sameType, typeText } from "./value-types.js";
import { locOnly } from "./source-loc.js";

export class ProgramBuilder {
  private readonly binaries = new Map<string, BinaryDecl>();
  private readonly params = new Map<string, ParamDecl>();
  private readonly maps: MapDecl[] = [];
  private readonly mapNames = new Set<string>();
  private readonly events = new Map<string, EventDecl>();
  readonly probes: Probe[] = [];

  constructor(private readonly source: string) {}

  binary(name: string, at: SourceSpan): void {
    if (!this.binaries.has(name)) this.binaries.set(name, { name, loc: locOnly(at) });
  }

  /** Declares (or finds) a run-time parameter; positions follow first declaration order. */
  param(name: string, kind: ParamDecl["kind"], defaultValue: string | undefined, at: SourceSpan): ParamDecl {
    const old = this.params.get(name);
    if (old) {
      if (old.kind !== kind || old.default !== defaultValue) throw new DiagnosticError(paramConflict(at, name));
      return old;
    }
    const p: ParamDecl = { name, kind, position: this.params.size + 1 };
    if (defaultValue !== undefined) p.default = defaultValue;
    this.params.set(name, p);
    return p;
  }

  /**
   * A bpftrace-safe, unique map name from the declaring variable's name: a library instantiated
   * twice gets `name`, then `name_2`, `name_3`…
   */
  mapName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_]/g, "_").replace(/^(?=[0-9])/, "_") || "map";
    let name = base;
    for (let i = 2; this.mapNames.has(name); i++) name = `${base}_${i}`;
    this.mapNames.add(name);
    return name;
  }

  map(decl: MapDecl): void {
    this.maps.push(decl);
  }

  /** Value map → its presence map, for the maps whose `has()` is used. */
  private readonly presence = new Map<string, string>();

  /**
   * The presence map beside `map` (`@map__has[key] = 1` while a value is stored), declared on the
   * first `has()`: bpftrace 0.17 cannot test whether a key is in a map, and reading a missing key
   * gives 0, so a stored 0 would otherwise read as absent. `build()` adds its writes to every
   * set/delete/clear of `map`, wherever they are.
   */
  presenceMap(map: string): string {
    const known = this.presence.get(map);
    if (known) return known;
    const decl = this.maps.find((m) => m.name === map)!;
    const name = this.mapName(`${map}__has`);
    this.maps.push({ name, loc: decl.loc, shape: decl.shape, key: decl.key, value: { kind: "int", bits: 64, signed: true }, presenceOf: map });
    this.presence.set(map, name);
    return name;
  }

  private withPresence(body: Stmt[]): Stmt[] {
    const out: Stmt[] = [];
    for (const s of body) {
      if (s.kind === "if") {
        out.push({ ...s, then: this.withPresence(s.then), else: this.withPresence(s.else) });
        continue;
      }
      out.push(s);
      const has = (s.kind === "mapSet" || s.kind === "mapDelete" || s.kind === "mapClear") && this.presence.get(s.map);
      if (!has) continue;
      if (s.kind === "mapSet") out.push({ kind: "mapSet", map: has, key: s.key, value: { kind: "int", value: "1" }, loc: s.loc });
      else if (s.kind === "mapDelete") out.push({ kind: "mapDelete", map: has, key: s.key, loc: s.loc });
      else out.push({ kind: "mapClear", map: has, loc: s.loc });
    }
    return out;
  }

  /**
   * Declares an event or checks a re-declaration has the same fields. Declared schemas come from
   * `events<…>()`; undeclared `emit`s declare on first use.
   */
  event(name: string, fields: FieldType[], span: EventDecl["span"], at: SourceSpan): EventDecl {
    const old = this.events.get(name);
    if (old) {
      const detail = describeMismatch(old.fields, fields);
      if (detail) throw new DiagnosticError(eventSchemaConflict(at, name, detail));
      return old;
    }
    const decl: EventDecl = { name, tag: this.events.size + 1, fields, loc: locOnly(at) };
    if (span) decl.span = span;
    this.events.set(name, decl);
    return decl;
  }

  getEvent(name: string): EventDecl | undefined {
    return this.events.get(name);
  }

  probe(p: Omit<Probe, "id">): Probe {
    const probe: Probe = { id: `p${this.probes.length}`, ...p };
    this.probes.push(probe);
    return probe;
  }

  build(): ProbeProgram {
    return {
      irVersion: IR_VERSION,
      source: this.source,
      binaries: [...this.binaries.values()],
      params: [...this.params.values()],
      maps: this.maps,
      events: [...this.events.values()],
      probes: this.presence.size === 0 ? this.probes : this.probes.map((p) => ({ ...p, body: this.withPresence(p.body) })),
    };
  }
}

function describeMismatch(a: FieldType[], b: FieldType[]): string | null {
  const names = (fs: FieldType[]) => fs.map((f) => f.name).join(", ");
  if (a.length !== b.length || a.some((f, i) => f.name !== b[i]!.name)) return `fields (${names(a)}) here (${names(b)})`;
  for (let i = 0; i < a.length; i++) {
    if (!sameType(a[i]!.type, b[i]!.type)) return `field '${a[i]!.name}' is ${typeText(a[i]!.type)} elsewhere, ${typeText(b[i]!.type)} here`;
  }
  return null;
}

export type { SourceLoc };
