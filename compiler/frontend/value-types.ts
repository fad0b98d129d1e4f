// ValueTypes (the IR's types of stored and printed values) from the TypeScript a probe is written in.
// Integer widths live in type alias names (`u16`, `i32`), which the checker forgets for expressions,
// so types are read from type nodes — a map's type arguments, an event schema, a struct field's or a
// tracepoint field's declaration — and carried alongside each lowered expression.
import type { ts } from "ts-morph";
import { tsv } from "./typescript.js";
import type { IntType, ValueType, FieldType } from "../ir/program.js";
import { DEFAULT_STRING_LIMIT } from "../ir/program.js";
import { unsupportedType } from "../diagnostics/messages.js";
import { DiagnosticError } from "../diagnostics/diagnostic.js";
import type { SpanOf } from "./source-loc.js";

export { DEFAULT_STRING_LIMIT };

const INT_ALIASES: Record<string, IntType> = {
  i8: { kind: "int", bits: 8, signed: true },
  i16: { kind: "int", bits: 16, signed: true },
  i32: { kind: "int", bits: 32, signed: true },
  i64: { kind: "int", bits: 64, signed: true },
  u8: { kind: "int", bits: 8, signed: false },
  u16: { kind: "int", bits: 16, signed: false },
  u32: { kind: "int", bits: 32, signed: false },
  u64: { kind: "int", bits: 64, signed: false },
};

export const intType = (name: keyof typeof INT_ALIASES): IntType => INT_ALIASES[name]!;
export const isIntAlias = (name: string): boolean => Object.hasOwn(INT_ALIASES, name);
export const I64 = intType("i64");
export const U64 = intType("u64");
export const U32 = intType("u32");
export const BOOL: ValueType = { kind: "bool" };
export const STRING: ValueType = { kind: "string" };
export const POINTER: ValueType = { kind: "pointer" };

export function intFromAlias(name: string): IntType | undefined {
  return Object.hasOwn(INT_ALIASES, name) ? INT_ALIASES[name] : undefined;
}

export const isIntLike = (t: ValueType): boolean => t.kind === "int" || t.kind === "bool" || t.kind === "pointer";
export const isStringLike = (t: ValueType): boolean => t.kind === "string" || t.kind === "sizedString";

export function sameType(a: ValueType, b: ValueType): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function typeText(t: ValueType): string {
  switch (t.kind) {
    case "int": return `${t.signed ? "i" : "u"}${t.bits}`;
    case "tuple": return `[${t.elements.map(typeText).join(", ")}]`;
    case "record": return `{ ${t.fields.map((f) => `${f.name}: ${typeText(f.type)}`).join("; ")} }`;
    case "sizedString": return "SizedString";
    default: return t.kind;
  }
}

/** Reads ValueTypes from type nodes, following aliases and interfaces through the checker. */
export class TypeReader {
  constructor(
    private readonly checker: ts.TypeChecker,
    private readonly spanOf: SpanOf,
  ) {}

  fail(node: ts.Node): never {
    throw new DiagnosticError(unsupportedType(this.spanOf(node), node.getText()));
  }

  /** Fields of an interface or type literal, in declaration order. */
  members(members: ts.NodeArray<ts.TypeElement>, seen: Set<ts.Node>): FieldType[] {
    const fields: FieldType[] = [];
    for (const m of members) {
      if (!tsv.isPropertySignature(m) || !m.type) this.fail(m);
      fields.push({ name: m.name.getText(), type: this.read(m.type, seen) });
    }
    return fields;
  }

  read(node: ts.TypeNode, seen = new Set<ts.Node>()): ValueType {
    if (seen.has(node)) this.fail(node);
    seen.add(node);
    try {
      return this.readInner(node, seen);
    } finally {
      seen.delete(node);
    }
  }

  private readInner(node: ts.TypeNode, seen: Set<ts.Node>): ValueType {
    switch (node.kind) {
      case tsv.SyntaxKind.NumberKeyword:
      case tsv.SyntaxKind.BigIntKeyword:
        return I64;
      case tsv.SyntaxKind.BooleanKeyword:
        return BOOL;
      case tsv.SyntaxKind.StringKeyword:
        return STRING;
    }
    if (tsv.isParenthesizedTypeNode(node)) return this.read(node.type, seen);
    if (tsv.isLiteralTypeNode(node)) {
      if (tsv.isStringLiteral(node.literal)) return STRING;
      if (node.literal.kind === tsv.SyntaxKind.TrueKeyword || node.literal.kind === tsv.SyntaxKind.FalseKeyword) return BOOL;
      return I64;
    }
    if (tsv.isTupleTypeNode(node)) {
      return { kind: "tuple", elements: node.elements.map((e) => this.read(tsv.isNamedTupleMember(e) ? e.type : e, seen)) };
    }
    if (tsv.isTypeLiteralNode(node)) return { kind: "record", fields: this.members(node.members, seen) };
    if (tsv.isTypeReferenceNode(node)) {
      const name = tsv.isIdentifier(node.typeName) ? node.typeName.text : node.typeName.right.text;
      const int = intFromAlias(name);
      if (int) return int;
      switch (name) {
        case "ptr": return POINTER;
        case "SizedString": return { kind: "sizedString", limit: DEFAULT_STRING_LIMIT };
        case "UStack": return { kind: "ustack" };
        case "KStack": return { kind: "kstack" };
      }
      let sym = this.checker.getSymbolAtLocation(node.typeName);
      if (sym && sym.flags & tsv.SymbolFlags.Alias) sym = this.checker.getAliasedSymbol(sym);
      const decl = sym?.declarations?.[0];
      if (decl && tsv.isTypeAliasDeclaration(decl) && !decl.typeParameters) return this.read(decl.type, seen);
      if (decl && tsv.isInterfaceDeclaration(decl) && !decl.typeParameters) return { kind: "record", fields: this.members(decl.members, seen) };
      if (decl && tsv.isTypeParameterDeclaration(decl)) return this.fromType(this.checker.getTypeAtLocation(node), node);
    }
    this.fail(node);
  }

  /** Fallback for types only the checker knows (a library's type parameters): widths are lost. */
  fromType(type: ts.Type, at: ts.Node): ValueType {
    if (type.flags & (tsv.TypeFlags.NumberLike | tsv.TypeFlags.BigIntLike)) return I64;
    if (type.flags & tsv.TypeFlags.BooleanLike) return BOOL;
    if (type.flags & tsv.TypeFlags.StringLike) return STRING;
    if (this.checker.isTupleType(type)) {
      const args = this.checker.getTypeArguments(type as ts.TypeReference);
      return { kind: "tuple", elements: args.map((a) => this.fromType(a, at)) };
    }
    this.fail(at);
  }
}
