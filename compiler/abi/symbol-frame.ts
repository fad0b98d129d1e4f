// Everything the ABI knows about one resolved symbol: its parameters' classes and locations at
// entry, whether it takes `this`, and how its return value is read. Computed once per symbol.
import type { ArgRead, SourceLoc } from "../ir/program.js";
import type { ResolvedBinary, ResolvedSymbolRef } from "../ir/program.js";
import type { SymbolView } from "../symbols/demangle/view.js";
import { classifyParam, type ClassifyContext, type DeclaredClass, type ParamClass, type StringViewLayout } from "./classify.js";
import { aapcs64 } from "./conventions/aapcs64.js";
import type { CallingConvention, PlacedCall } from "./conventions/location.js";
import { sysvX86_64 } from "./conventions/sysv-x86_64.js";
import { AbiCode, abiError, abiWarning, type AbiDiagnostic } from "./diagnostics.js";
import { classEvidenceNeedles, decideMember, pathFromDemangled, type MemberDecision } from "./member.js";
import type { PlacedValue } from "./readers.js";

/** A resolved symbol plus what the resolver or the user knows beyond the mangled name. */
export interface AbiSymbol extends ResolvedSymbolRef {
  /** The demangler's view; without it the path is taken from `demangled`. */
  view?: SymbolView;
  /** Printed C++ return type, when known (template functions encode it; the user may declare it). */
  returnType?: string;
  /** Overrides the member-function rule (see member.ts): true when the function takes `this`. */
  isMember?: boolean;
}

/** The binary as the ABI needs it. */
export interface AbiBinary extends ResolvedBinary {
  /** Qualified class names known from the binary's symbols (collectClassNames). */
  knownClasses?: ReadonlySet<string>;
  knownNamespaces?: ReadonlySet<string>;
  /**
   * Whether some symbol name in the binary contains `needle` (a byte search over the string table).
   * With it, a guess about member functions is replaced by evidence (a vtable, a constructor).
   */
  symbolTableContains?: (needle: string) => boolean;
  /** Whether absl::string_view is absl's own class or an alias of std::string_view in this binary. */
  abslStringView?: "class" | "alias";
}

export interface AbiOptions {
  declaredClasses?: Readonly<Record<string, DeclaredClass>>;
  /** Bytes copied for a string read without its own limit (default 64, bpftrace's default BPFTRACE_STRLEN). */
  defaultStringLimit?: number;
}

export function conventionFor(arch: ResolvedBinary["arch"]): CallingConvention {
  return arch === "x86_64" ? sysvX86_64 : aapcs64;
}

export class SymbolFrame {
  readonly name: string;
  readonly member: MemberDecision;
  private readonly ctx: ClassifyContext;
  private readonly convention: CallingConvention;
  private readonly classes: ParamClass[] | null;
  private readonly returnType: string | null;
  private placedCall: PlacedCall | null = null;

  constructor(
    readonly symbol: AbiSymbol,
    readonly binary: AbiBinary,
    options: AbiOptions,
    readsThis: boolean,
  ) {
    this.name = symbol.demangled;
    this.ctx = { arch: binary.arch, stdlib: binary.stdlib, ...(options.declaredClasses ? { declaredClasses: options.declaredClasses } : {}) };
    this.convention = conventionFor(binary.arch);
    const view = symbol.view;
    const { path, qualifiers } = view ? { path: view.path, qualifiers: view.qualifiers } : pathFromDemangled(symbol.demangled);
    this.member = decideMember(path, qualifiers, {
      ...(symbol.isMember !== undefined ? { declared: symbol.isMember } : {}),
      ...(binary.knownClasses ? { knownClasses: binary.knownClasses } : {}),
      ...(binary.knownNamespaces ? { knownNamespaces: binary.knownNamespaces } : {}),
      readsThis,
    });
    if (this.member.reason === "guess" && binary.symbolTableContains) {
      const contains = binary.symbolTableContains;
      if (classEvidenceNeedles(symbol.mangled).some((n) => contains(n))) this.member = { ...this.member, member: true, reason: "known" };
    }
    const params = symbol.params ?? view?.params ?? null;
    this.classes = params === null ? null : params.map((p) => classifyParam(p, this.ctx).cls);
    this.returnType = symbol.returnType ?? view?.returnType ?? null;
  }

  private placed(upTo: number): PlacedCall {
    if (this.placedCall && this.placedCall.params.length > upTo) return this.placedCall;
    // A C function has no parameter types: take each earlier parameter for one integer word.
    const classes: ParamClass[] = this.classes ?? Array.from({ length: upTo + 1 }, () => ({ kind: "int", bits: 64, signed: false }) as ParamClass);
    const returns = this.returnType === null ? null : classifyParam(this.returnType, this.ctx).cls;
    this.placedCall = this.convention.placeCall({ params: classes, hasThis: this.member.member, returns });
    return this.placedCall;
  }

  /** Parameter `index` (this not counted) at function entry, read as `read`, or a diagnostic. */
  param(index: number, read: ArgRead, loc: SourceLoc | undefined): PlacedValue | AbiDiagnostic {
    const params = this.symbol.params ?? this.symbol.view?.params ?? null;
    if (params !== null && (index < 0 || index >= params.length || params[index] === "...")) {
      const list = params.length === 0 ? "no parameters" : `${params.length} parameter${params.length === 1 ? "" : "s"} (${params.join(", ")})`;
      return abiError(AbiCode.ArgIndexOutOfRange, `argument ${index} is out of range: ${this.name} takes ${list}`, loc);
    }
    const own = this.classes?.[index];
    if (own?.kind === "unknown" && own.className !== undefined && read.as === "int") {
      // An integer read of a by-value type probec does not know: the user says it is an enum (or a
      // small trivially copyable class), which takes one integer register. Only this parameter is
      // placed on that assumption; later ones stay blocked.
      const assumed: ParamClass = { kind: "int", bits: 64, signed: read.type.signed };
      const classes = this.classes!.map((c, i) => (i === index ? assumed : c));
      const returns = this.returnType === null ? null : classifyParam(this.returnType, this.ctx).cls;
      const placed = this.convention.placeCall({ params: classes, hasThis: this.member.member, returns });
      return {
        what: `parameter ${index}`,
        printed: params![index],
        cls: assumed,
        location: placed.params[index],
        warning: abiWarning(
          AbiCode.AssumedEnum,
          `assumed '${own.className}' (parameter ${index} of ${this.name}) is an enum or a small trivially copyable class held in one register, because it is read as an integer; declare it to make that explicit`,
          loc,
        ),
      };
    }
    const placed = this.placed(index);
    return {
      what: `parameter ${index}`,
      printed: params === null ? null : params[index],
      cls: this.classes ? this.classes[index] : { kind: "int", bits: 64, signed: false },
      location: placed.params[index],
    };
  }

  /**
   * A GCC clone suffix that changes how arguments are passed (`.isra` rewrites them, `.constprop`
   * drops constant ones, `.part` is an outlined fragment), or null.
   */
  get signatureChangingClone(): string | null {
    const suffixes = this.symbol.view?.cloneSuffixes ?? (this.symbol.mangled.match(/\.[a-z_]+\.\d+/g) ?? []);
    return suffixes.find((s) => /^\.(isra|constprop|part)\b/.test(s)) ?? null;
  }

  /**
   * On x86-64, a warning when the return type is unknown but the function's name carries GCC's
   * `[abi:cxx11]` tag: it returns something from std::__cxx11 — by reference (arguments where the
   * signature says) or by value (a hidden result pointer in rdi moves everything by one register).
   */
  returnAmbiguity(loc: SourceLoc | undefined): AbiDiagnostic | null {
    if (this.binary.arch !== "x86_64" || this.returnType !== null) return null;
    const own = this.symbol.view?.path.at(-1);
    const tagged = own ? (own.abiTags ?? []).includes("cxx11") : /\[abi:cxx11\](<[^()]*>)?\(/.test(this.symbol.demangled);
    if (!tagged) return null;
    return abiWarning(
      AbiCode.ReturnMayMoveArguments,
      `${this.name} is tagged [abi:cxx11], so it returns a std::__cxx11 type (such as std::string); if it returns it by value rather than by reference, the hidden result pointer takes rdi and 'this' and every argument move by one register — declare 'returns' on the probe point to be sure`,
      loc,
    );
  }

  /** True when the symbol has no parameter types (reads are word-sized guesses). */
  get untyped(): boolean {
    return (this.symbol.params ?? this.symbol.view?.params ?? null) === null;
  }

  thisValue(loc: SourceLoc | undefined): PlacedValue | AbiDiagnostic {
    if (!this.member.member) {
      const why =
        this.member.reason === "static-invoker"
          ? "it is the static invoker of a lambda"
          : this.member.reason === "declared"
            ? "it was declared a free function"
            : `'${this.member.enclosing ?? "(global)"}' was taken for a namespace (declare 'member: true' on the probe point to override)`;
      return abiError(AbiCode.NoThis, `${this.name} has no 'this': ${why}`, loc);
    }
    const placed = this.placed(-1);
    const enclosing = this.member.enclosing ?? "the class";
    return { what: "this", printed: `${enclosing}*`, cls: { kind: "pointer", target: null, reference: false }, location: placed.thisLocation! };
  }

  /** The return value at a uretprobe, read as `read`. */
  returnValue(read: ArgRead, loc: SourceLoc | undefined): PlacedValue | AbiDiagnostic {
    const fromType = this.returnType === null ? null : classifyParam(this.returnType, this.ctx).cls;
    const cls = fromType ?? this.returnClassFromRead(read, loc);
    if ("code" in cls) return cls;
    return { what: "the return value", printed: this.returnType, cls, location: this.convention.placeReturn(cls) };
  }

  /** Without a known return type, the read itself says what the function returns. */
  private returnClassFromRead(read: ArgRead, loc: SourceLoc | undefined): ParamClass | AbiDiagnostic {
    const unknown = (what: string): AbiDiagnostic =>
      abiError(
        AbiCode.ReturnTypeUnknown,
        `cannot tell the layout of the ${what} ${this.name} returns: the mangled name does not encode non-template return types and ` +
          `the binary's standard library is '${this.binary.stdlib}'; declare 'returns' on the probe point`,
        loc,
      );
    switch (read.as) {
      case "int":
        return { kind: "int", bits: read.type.bits, signed: read.type.signed };
      case "pointer":
        return { kind: "pointer", target: null, reference: false };
      case "cstr":
        return { kind: "pointer", target: { kind: "builtin", name: "char", isConst: true }, reference: false };
      case "raw":
        return { kind: "aggregate16", what: { kind: "other", name: "raw" } };
      case "stringView": {
        // absl's class and libc++ agree on {ptr, len}; only libstdc++'s std::string_view swaps them.
        let layout: StringViewLayout | null = null;
        if (this.binary.stdlib === "libc++") layout = "libc++";
        else if (this.binary.abslStringView === "class") layout = "absl";
        else if (this.binary.stdlib === "libstdc++" && this.binary.abslStringView === "alias") layout = "libstdc++";
        return layout ? { kind: "aggregate16", what: { kind: "stringView", layout } } : unknown("string_view");
      }
      case "stdString":
        if (this.binary.stdlib === "unknown") return unknown("std::string");
        return { kind: "indirect", what: { kind: "stdString", layout: this.binary.stdlib } };
    }
  }
}
