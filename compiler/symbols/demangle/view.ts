// The contract between the demangler and its users (patterns, resolver, ABI, runtime).
// The demangler parses into its own node hierarchy; `SymbolView` is the flattened, printed summary
// that the rest of the compiler matches on. Every string here is printed exactly as GNU c++filt
// would print that part.

/** One component of a qualified C++ name, outermost first. */
export interface PathSegment {
  /**
   * What the component is. `lambda` covers GCC's `{lambda(int, short, void*)#1}` and clang's `$_1`;
   * `unnamed` is `{unnamed type#1}`; `anonymous-namespace` is `(anonymous namespace)`.
   */
  kind: "name" | "ctor" | "dtor" | "operator" | "conversion" | "lambda" | "unnamed" | "anonymous-namespace";
  /** The component without template arguments: `TcpListenerImpl`, `Filter`, `~Filter`, `operator<<`, `$_1`. */
  name: string;
  /** Printed template arguments with their angle brackets, e.g. `<char, std::char_traits<char> >`. */
  templateArgs?: string;
  /** ABI tags as written in `[abi:cxx11]`, without brackets. */
  abiTags?: string[];
  /** True for inline namespaces the toolchains insert: `__1`, `__cxx11`, `lts_*`, `debian3`. */
  inlineNamespace?: boolean;
  /**
   * Set when this segment is a function that encloses a local entity (`Z <encoding> E <entity>`):
   * the printed parameter types of that function, so `assignEvents(unsigned int, event_base*)::$_1`
   * keeps `["unsigned int", "event_base*"]` here.
   */
  functionParams?: string[];
}

/** A demangled symbol, flattened for matching and for the ABI. */
export interface SymbolView {
  /** The full text, identical to `c++filt`. */
  demangled: string;
  /** `function` for function encodings, `data` for variables, `special` for vtables, typeinfo, guards, thunks… */
  kind: "function" | "data" | "special";
  /** For `special`: `vtable`, `VTT`, `typeinfo`, `typeinfo name`, `guard variable`, `thunk`, `virtual thunk`, `covariant return thunk`, `reference temporary`, `construction vtable`, `transaction clone`, `TLS init function`, `TLS wrapper function`, … */
  special?: string;
  /** The qualified name of the entity (for thunks and guards: of the target), outermost first. */
  path: PathSegment[];
  /** Printed parameter types of the function (`[]` for `()`), `null` when the entity is not a function. */
  params: string[] | null;
  /** Printed return type when the mangling encodes one (template functions, function types). */
  returnType?: string;
  /** Trailing qualifiers of a member function as printed, e.g. ` const`, ` &&`, or `` when none. */
  qualifiers?: string;
  /** Clone suffixes in order, e.g. `[".isra.0"]`, `[".cold"]`, `[".constprop.0", ".isra.0"]`. */
  cloneSuffixes: string[];
}
