// The c++filt-style word filter, as text (library) and as bytes (CLI): words are runs of
// [A-Za-z0-9_$.] (and NUL, as in c++filt), each tried as a mangled name; the rest is kept.
import { describe, expect, it } from "vitest";
import { bulkPrinter, demangle, demangleAppend } from "../../../compiler/symbols/demangle/index.js";
import { filterBytes, filterText } from "../../../compiler/symbols/demangle/filter.js";

const bytes = (text: string): string => Buffer.concat(filterBytes(Buffer.from(text, "latin1"), demangleAppend, bulkPrinter())).toString("latin1");

describe("filter", () => {
  it("demangles mangled words inside running text and keeps everything else", () => {
    const text = "at _ZN1A1fEv+0x10 (lib.so) and _Z1fv@@V_1.0, not _ZN1A or foo_Z1fv\n";
    const want = "at A::f()+0x10 (lib.so) and f()@@V_1.0, not _ZN1A or foo_Z1fv\n";
    expect(filterText(text, demangle)).toBe(want);
    expect(bytes(text)).toBe(want);
  });

  it("keeps a leading '.', drops a leading '$'", () => {
    expect(filterText("._Z1fv $_Z1fv", demangle)).toBe(".f() f()");
    expect(bytes("._Z1fv $_Z1fv")).toBe(".f() f()");
  });

  it("ends a word at NUL and drops the rest of that word", () => {
    expect(bytes("a\0_Z1fv\0b\n_Z1gv")).toBe("a\ng()");
    expect(filterText("a\0_Z1fv\0b\n_Z1gv", demangle)).toBe("a\ng()");
  });

  it("text and byte filters agree on random mixtures", () => {
    let x = 7;
    const next = () => ((x = (x * 1103515245 + 12345) & 0x7fffffff), x);
    const pieces = ["_ZN1A1fEv", "_Z1fv", " ", "\n", "@", ".", "$", "_ZN1A", "xyz", "\t", "_ZTV1A", "é", "\0"];
    for (let i = 0; i < 300; i++) {
      let text = "";
      for (let k = next() % 12; k > 0; k--) text += pieces[next() % pieces.length];
      expect(bytes(text), JSON.stringify(text)).toBe(filterText(text, demangle));
    }
  });

  it("prints names one after another into one printer; an invalid name leaves it unchanged", () => {
    const out = bulkPrinter();
    expect(demangleAppend("_ZN1A1fEv", out)).toBe(true);
    const afterFirst = out.length;
    expect(demangleAppend("_ZN1A", out)).toBe(false); // ends inside the nested name
    expect(demangleAppend("_Z1fT_", out)).toBe(false); // parses, but fails halfway through printing
    expect(out.length).toBe(afterFirst);
    expect(demangleAppend("_Z1fIiEvT_PFS0_vE", out)).toBe(true); // the printer's per-name state starts afresh
    expect(demangleAppend("_Z1fv", out, { maxLength: 3 })).toBe(false);
    expect(out.length).toBeGreaterThan(afterFirst);
    expect(out.takeLatin1().toString("latin1")).toBe("A::f()" + demangle("_Z1fIiEvT_PFS0_vE"));
    expect(out.length).toBe(0);
  });

  it("gives the same bytes when the output spans several output chunks", () => {
    // Over 1 MiB of output: the byte filter flushes its buffer mid-stream, including inside a name.
    const line = "._ZNKSt7__cxx1112basic_stringIcSt11char_traitsIcESaIcEE4findEPKcmm x\0_Z1fv\0y $_Z1gv _ZN1A\n";
    const text = line.repeat(8000);
    const out = bytes(text);
    expect(out.length).toBeGreaterThan(1 << 20);
    expect(out).toBe(filterText(text, demangle));
  });
});
