// Flattens a parsed name into the `SymbolView` the pattern matcher and the ABI stage consume.
// Every string is printed by the same printer as the full text, so pieces read exactly as c++filt.
import type { Node } from "./node.js";
import {
  AbiTagged,
  CloneSuffix,
  DefaultArgScope,
  Encoding,
  GlobalCtorDtor,
  LocalName,
  NameNode,
  QualifiedName,
  SpecialName,
  StdSubNode,
  TemplateArgs,
  TemplateNode,
  printTemplateArgs,
} from "./nodes-names.js";
import { FunctionType, PackExpansion, Qualifier } from "./nodes-types.js";
import { parseOrNull } from "./parse-entry.js";
import { acquirePrinter, releasePrinter, type Printer, type TemplateScope } from "./printer.js";
import type { PathSegment, SymbolView } from "./view.js";

/** The flattened view of a mangled name, or null when it is not valid. */
export function describe(mangled: string): SymbolView | null {
  const node = parseOrNull(mangled);
  return node === null ? null : describeNode(node);
}

class PieceFailed extends Error {}

/**
 * Prints the pieces of one name (parameters, template arguments, operator names) with the printer
 * that printed the whole, reset before each piece: one printer per name, no closure per piece.
 * Throws PieceFailed when c++filt could not print a piece.
 */
class PiecePrinter {
  constructor(readonly p: Printer) {}

  /** `node` printed in a template scope, inside the template `current` (for conversion operators). */
  node(node: Node, scope: TemplateScope | null, current: Node | null = null): string {
    const p = this.p;
    p.reset();
    p.templates = scope;
    p.currentTemplate = current;
    p.print(node);
    return this.take();
  }

  /** A template's `<args>` as they follow its name. */
  templateArgs(node: TemplateNode): string {
    const p = this.p;
    p.reset();
    p.currentTemplate = node;
    printTemplateArgs(p, node.args);
    return this.take();
  }

  /** Element `index` of a pack expansion's pattern. */
  packElement(pattern: Node, index: number, scope: TemplateScope | null): string {
    const p = this.p;
    p.reset();
    p.templates = scope;
    p.packIndex = index;
    p.print(pattern);
    return this.take();
  }

  /** The pack a pack expansion's pattern refers to, in `scope`. */
  findPack(pattern: Node, scope: TemplateScope | null): Node | null {
    const p = this.p;
    p.reset();
    p.templates = scope;
    return pattern.findPack(p);
  }

  private take(): string {
    if (this.p.failed) throw new PieceFailed(this.p.failure);
    return this.p.finish();
  }
}

/** The flattened view of an AST root, or null when it cannot be printed. */
export function describeNode(root: Node): SymbolView | null {
  const p = acquirePrinter();
  try {
    p.print(root);
    if (p.failed) return null;
    return buildView(root, p.finish(), new PiecePrinter(p));
  } catch (err) {
    if (err instanceof PieceFailed) return null;
    throw err;
  } finally {
    releasePrinter(p);
  }
}

function buildView(root: Node, demangled: string, pieces: PiecePrinter): SymbolView {
  const cloneSuffixes: string[] = [];
  let node = root;
  while (node instanceof CloneSuffix) {
    cloneSuffixes.unshift(node.suffix);
    node = node.encoding;
  }
  if (node instanceof SpecialName || node instanceof GlobalCtorDtor || node.kind === "construction-vtable" || node.kind === "reference-temporary") {
    const special = specialKind(node);
    const target = targetOf(node);
    const inner = target instanceof Encoding ? functionParts(target, pieces) : null;
    return {
      demangled,
      kind: "special",
      special,
      path: target === null ? [] : pathOf(target instanceof Encoding ? target.name : target, null, pieces).segments,
      params: inner?.params ?? null,
      ...(inner?.returnType !== undefined ? { returnType: inner.returnType } : {}),
      ...(inner !== null ? { qualifiers: inner.qualifiers } : {}),
      cloneSuffixes,
    };
  }
  if (node instanceof Encoding) {
    const parts = functionParts(node, pieces);
    return {
      demangled,
      kind: "function",
      path: parts.path,
      params: parts.params,
      ...(parts.returnType !== undefined ? { returnType: parts.returnType } : {}),
      qualifiers: parts.qualifiers,
      cloneSuffixes,
    };
  }
  return { demangled, kind: "data", path: pathOf(node, null, pieces).segments, params: null, cloneSuffixes };
}

function specialKind(node: Node): string {
  if (node instanceof SpecialName) {
    if (node.what === "non-virtual thunk to") return "thunk";
    return node.what.replace(/ (for|to)$/, "");
  }
  if (node instanceof GlobalCtorDtor) return node.isConstructor ? "global constructors" : "global destructors";
  return node.kind === "construction-vtable" ? "construction vtable" : "reference temporary";
}

function targetOf(node: Node): Node | null {
  if (node instanceof SpecialName || node instanceof GlobalCtorDtor) return node.target;
  if (node.kind === "construction-vtable") return (node as unknown as { derived: Node }).derived;
  return (node as unknown as { target: Node }).target;
}

interface FunctionParts {
  path: PathSegment[];
  params: string[];
  returnType: string | undefined;
  qualifiers: string;
}

/** Path, printed parameters, return type and trailing qualifiers of a function encoding. */
function functionParts(enc: Encoding, pieces: PiecePrinter): FunctionParts {
  const { segments, qualifiers, scopeNode } = pathOf(enc.name, null, pieces);
  const scope: TemplateScope | null = scopeNode instanceof TemplateNode ? { args: scopeNode.args, next: null } : null;
  const type = enc.type instanceof FunctionType ? enc.type : null;
  const params: string[] = [];
  let returnType: string | undefined;
  if (type !== null) {
    for (const param of type.params) addParam(params, param, scope, pieces);
    if (type.returnType !== null) returnType = pieces.node(type.returnType, scope);
  }
  return { path: segments, params, returnType, qualifiers };
}

/** Adds a parameter as c++filt prints it; a pack expansion adds one string per element. */
function addParam(params: string[], param: Node, scope: TemplateScope | null, pieces: PiecePrinter): void {
  if (param instanceof PackExpansion) {
    const pack = pieces.findPack(param.pattern, scope);
    if (pack instanceof TemplateArgs) {
      for (let i = 0; i < pack.args.length; i++) params.push(pieces.packElement(param.pattern, i, scope));
      return;
    }
  }
  params.push(pieces.node(param, scope));
}

interface PathResult {
  segments: PathSegment[];
  /** Trailing function qualifiers (` const`, ` &&`), innermost first as c++filt prints them. */
  qualifiers: string;
  /** The name node after qualifiers and local scopes are peeled: its template args scope `T_`. */
  scopeNode: Node;
}

const INLINE_NAMESPACE = /^(__1|__2|__cxx11|__u|debian\d*|lts_\d+|lts_.*)$/;
const CLANG_LAMBDA = /^\$_\d+$/;

function pathOf(name: Node, current: Node | null, pieces: PiecePrinter): PathResult {
  let node = name;
  const quals: string[] = [];
  while (node instanceof Qualifier && node.kind === "fn-qual") {
    quals.push(node.text);
    node = node.inner;
  }
  if (node instanceof LocalName) {
    const outer = node.encoding instanceof Encoding ? functionParts(node.encoding, pieces) : null;
    const head = outer !== null ? outer.path : pathOf(node.encoding, null, pieces).segments;
    if (outer !== null && head.length > 0) head[head.length - 1] = { ...head[head.length - 1]!, functionParams: outer.params };
    let entity = node.entity;
    if (entity instanceof DefaultArgScope) {
      head.push({ kind: "name", name: `{default arg#${entity.index + 1}}` });
      entity = entity.entity;
    }
    const inner = pathOf(entity, null, pieces);
    for (const seg of inner.segments) head.push(seg);
    return { segments: head, qualifiers: inner.qualifiers + quals.reverse().join(""), scopeNode: inner.scopeNode };
  }
  const segments: PathSegment[] = [];
  flatten(node, current, segments, pieces);
  return { segments, qualifiers: quals.reverse().join(""), scopeNode: node };
}

/** Appends the segments of a (qualified) name to `out`, outermost first. */
function flatten(node: Node, current: Node | null, out: PathSegment[], pieces: PiecePrinter): void {
  if (node instanceof QualifiedName) {
    flatten(node.scope, current, out, pieces);
    flatten(node.name, current, out, pieces);
  } else if (node instanceof NameNode) {
    out.push(nameSegment(node.text));
  } else if (node instanceof TemplateNode) {
    const first = out.length;
    flatten(node.name, node, out, pieces);
    const args = pieces.templateArgs(node);
    const last = out.length - 1;
    if (last >= first) out[last] = { ...out[last]!, templateArgs: args.startsWith(" ") ? args.slice(1) : args };
  } else if (node instanceof AbiTagged) {
    const first = out.length;
    flatten(node.name, current, out, pieces);
    const last = out.length > first ? out[out.length - 1] : undefined;
    if (last !== undefined) last.abiTags = [...(last.abiTags ?? []), node.tag];
  } else if (node instanceof StdSubNode) {
    stdSubSegments(node, out);
  } else if (node instanceof LocalName || (node instanceof Qualifier && node.kind === "fn-qual")) {
    for (const seg of pathOf(node, current, pieces).segments) out.push(seg);
  } else {
    out.push(segmentOf(node, current, pieces));
  }
}

/** A plain identifier segment: its text is what it prints, so it needs no printing. */
function nameSegment(t: string): PathSegment {
  const c = t.charCodeAt(0);
  if (t === "(anonymous namespace)") return { kind: "anonymous-namespace", name: t };
  // The first-character tests keep the regular expressions off most identifiers.
  if (c === 36 /* $ */ && CLANG_LAMBDA.test(t)) return { kind: "lambda", name: t };
  if ((c === 95 /* _ */ || c === 100 /* d */ || c === 108) /* l */ && INLINE_NAMESPACE.test(t)) return { kind: "name", name: t, inlineNamespace: true };
  return { kind: "name", name: t };
}

function segmentOf(node: Node, current: Node | null, pieces: PiecePrinter): PathSegment {
  const text = pieces.node(node, null, current);
  switch (node.kind) {
    case "ctor":
      return { kind: "ctor", name: text };
    case "dtor":
      return { kind: "dtor", name: text };
    case "operator":
    case "extended-operator":
      return { kind: "operator", name: text };
    case "conversion":
      return { kind: "conversion", name: text };
    case "lambda":
      return { kind: "lambda", name: text };
    case "unnamed-type":
      return { kind: "unnamed", name: text };
    default:
      return { kind: "name", name: text };
  }
}

const STD_SUB_PARTS: Record<string, [string, string | undefined]> = {
  St: ["", undefined],
  Sa: ["allocator", undefined],
  Sb: ["basic_string", undefined],
  Ss: ["basic_string", "<char, std::char_traits<char>, std::allocator<char> >"],
  Si: ["basic_istream", "<char, std::char_traits<char> >"],
  So: ["basic_ostream", "<char, std::char_traits<char> >"],
  Sd: ["basic_iostream", "<char, std::char_traits<char> >"],
};

function stdSubSegments(node: StdSubNode, out: PathSegment[]): void {
  out.push({ kind: "name", name: "std" });
  const parts = STD_SUB_PARTS[node.code];
  if (parts !== undefined && parts[0] !== "") {
    out.push(parts[1] === undefined ? { kind: "name", name: parts[0] } : { kind: "name", name: parts[0], templateArgs: parts[1] });
  }
}
