// Flattens a parsed name into the `SymbolView` the pattern matcher and the ABI stage consume.
// Every string is printed by the same printer as the full text, so pieces read exactly as c++filt.
import type { Node } from "./node.js";
import {
  AbiTagged,
  CloneSuffix,
  ConversionName,
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

/** Prints one piece in a given template scope; throws PieceFailed if c++filt could not print it. */
function printPiece(print: (p: Printer) => void, scope: TemplateScope | null, current: Node | null = null): string {
  const p = acquirePrinter();
  p.templates = scope;
  p.currentTemplate = current;
  print(p);
  const text = p.finish();
  releasePrinter(p);
  if (p.failed) throw new PieceFailed(p.failure);
  return text;
}

/** The flattened view of an AST root, or null when it cannot be printed. */
export function describeNode(root: Node): SymbolView | null {
  const whole = acquirePrinter();
  whole.print(root);
  const text = whole.finish();
  releasePrinter(whole);
  if (whole.failed) return null;
  try {
    return buildView(root, text);
  } catch (err) {
    if (err instanceof PieceFailed) return null;
    throw err;
  }
}

function buildView(root: Node, demangled: string): SymbolView {
  const cloneSuffixes: string[] = [];
  let node = root;
  while (node instanceof CloneSuffix) {
    cloneSuffixes.unshift(node.suffix);
    node = node.encoding;
  }
  if (node instanceof SpecialName || node instanceof GlobalCtorDtor || node.kind === "construction-vtable" || node.kind === "reference-temporary") {
    const special = specialKind(node);
    const target = targetOf(node);
    const inner = target instanceof Encoding ? functionParts(target) : null;
    return {
      demangled,
      kind: "special",
      special,
      path: target === null ? [] : pathOf(target instanceof Encoding ? target.name : target, null).segments,
      params: inner?.params ?? null,
      ...(inner?.returnType !== undefined ? { returnType: inner.returnType } : {}),
      ...(inner !== null ? { qualifiers: inner.qualifiers } : {}),
      cloneSuffixes,
    };
  }
  if (node instanceof Encoding) {
    const parts = functionParts(node);
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
  return { demangled, kind: "data", path: pathOf(node, null).segments, params: null, cloneSuffixes };
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
function functionParts(enc: Encoding): FunctionParts {
  const { segments, qualifiers, scopeNode } = pathOf(enc.name, null);
  const scope: TemplateScope | null = scopeNode instanceof TemplateNode ? { args: scopeNode.args, next: null } : null;
  const type = enc.type instanceof FunctionType ? enc.type : null;
  const params: string[] = [];
  let returnType: string | undefined;
  if (type !== null) {
    for (const param of type.params) params.push(...printParam(param, scope));
    if (type.returnType !== null) returnType = printPiece((p) => p.print(type.returnType), scope);
  }
  return { path: segments, params, returnType, qualifiers };
}

/** A parameter as c++filt prints it; a pack expansion yields one string per element. */
function printParam(param: Node, scope: TemplateScope | null): string[] {
  if (param instanceof PackExpansion) {
    const probe = acquirePrinter();
    probe.templates = scope;
    const pack = param.pattern.findPack(probe);
    releasePrinter(probe);
    if (pack instanceof TemplateArgs) {
      const out: string[] = [];
      for (let i = 0; i < pack.args.length; i++) {
        out.push(
          printPiece((p) => {
            p.packIndex = i;
            p.print(param.pattern);
          }, scope),
        );
      }
      return out;
    }
  }
  return [printPiece((p) => p.print(param), scope)];
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

function pathOf(name: Node, current: Node | null): PathResult {
  let node = name;
  const quals: string[] = [];
  while (node instanceof Qualifier && node.kind === "fn-qual") {
    quals.push(node.text);
    node = node.inner;
  }
  if (node instanceof LocalName) {
    const outer = node.encoding instanceof Encoding ? functionParts(node.encoding) : null;
    const head = outer !== null ? outer.path : pathOf(node.encoding, null).segments;
    if (outer !== null && head.length > 0) head[head.length - 1] = { ...head[head.length - 1]!, functionParams: outer.params };
    let entity = node.entity;
    if (entity instanceof DefaultArgScope) {
      head.push({ kind: "name", name: `{default arg#${entity.index + 1}}` });
      entity = entity.entity;
    }
    const inner = pathOf(entity, null);
    return { segments: [...head, ...inner.segments], qualifiers: inner.qualifiers + quals.reverse().join(""), scopeNode: inner.scopeNode };
  }
  const segments = flatten(node, current);
  return { segments, qualifiers: quals.reverse().join(""), scopeNode: node };
}

function flatten(node: Node, current: Node | null): PathSegment[] {
  if (node instanceof QualifiedName) return [...flatten(node.scope, current), ...flatten(node.name, current)];
  if (node instanceof TemplateNode) {
    const segs = flatten(node.name, node);
    const args = printPiece((p) => {
      p.currentTemplate = node;
      printTemplateArgs(p, node.args);
    }, null);
    if (segs.length > 0) segs[segs.length - 1] = { ...segs[segs.length - 1]!, templateArgs: args.startsWith(" ") ? args.slice(1) : args };
    return segs;
  }
  if (node instanceof AbiTagged) {
    const segs = flatten(node.name, current);
    const last = segs[segs.length - 1];
    if (last !== undefined) last.abiTags = [...(last.abiTags ?? []), node.tag];
    return segs;
  }
  if (node instanceof StdSubNode) return stdSubSegments(node);
  if (node instanceof LocalName || (node instanceof Qualifier && node.kind === "fn-qual")) return pathOf(node, current).segments;
  return [segmentOf(node, current)];
}

function segmentOf(node: Node, current: Node | null): PathSegment {
  const text = printPiece((p) => p.print(node), null, current);
  switch (node.kind) {
    case "name": {
      const t = (node as NameNode).text;
      if (t === "(anonymous namespace)") return { kind: "anonymous-namespace", name: t };
      if (CLANG_LAMBDA.test(t)) return { kind: "lambda", name: t };
      if (INLINE_NAMESPACE.test(t)) return { kind: "name", name: t, inlineNamespace: true };
      return { kind: "name", name: t };
    }
    case "ctor":
      return { kind: "ctor", name: text };
    case "dtor":
      return { kind: "dtor", name: text };
    case "operator":
    case "extended-operator":
      return { kind: "operator", name: text };
    case "conversion":
      return { kind: "conversion", name: node instanceof ConversionName ? text : text };
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

function stdSubSegments(node: StdSubNode): PathSegment[] {
  const segs: PathSegment[] = [{ kind: "name", name: "std" }];
  const parts = STD_SUB_PARTS[node.code];
  if (parts !== undefined && parts[0] !== "") {
    segs.push(parts[1] === undefined ? { kind: "name", name: parts[0] } : { kind: "name", name: parts[0], templateArgs: parts[1] });
  }
  return segs;
}
