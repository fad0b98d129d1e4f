// Loads probec's own Itanium demangler for frames bpftrace left mangled. It is optional at run
// time: without it frames keep their mangled names.
import type { Demangler } from "./decode/stack.js";

type DemangleModule = { demangle?: (mangled: string) => unknown };

function asText(result: unknown): string | null {
  if (typeof result === "string") return result;
  if (typeof result === "object" && result !== null) {
    const r = result as { demangled?: unknown; ok?: unknown; text?: unknown };
    if (typeof r.demangled === "string") return r.demangled;
    if (typeof r.text === "string") return r.text;
  }
  return null;
}

export async function loadDemangler(): Promise<Demangler | undefined> {
  // A computed specifier: the demangler is built by another stage and may be absent in a partial build.
  const specifier = ["..", "compiler", "symbols", "demangle", "index.js"].join("/");
  let mod: DemangleModule;
  try {
    mod = (await import(specifier)) as DemangleModule;
  } catch {
    return undefined;
  }
  const fn = mod.demangle;
  if (typeof fn !== "function") return undefined;
  const cache = new Map<string, string | null>();
  return (mangled) => {
    let hit = cache.get(mangled);
    if (hit === undefined) {
      try {
        hit = asText(fn(mangled));
      } catch {
        hit = null;
      }
      cache.set(mangled, hit);
    }
    return hit;
  };
}
