// One parser for --binary/--param/--define across commands.
import { describe, expect, test } from "vitest";
import { parseNameValues } from "../../compiler/cli/name-value.js";
import { UsageError } from "../../compiler/cli/usage-error.js";

describe("NAME=VALUE flags", () => {
  test("in order, the value may hold '=' and may be empty (not a path)", () => {
    expect(parseNameValues("build", "--define", ["a=1", "b=x=y", "c="])).toEqual([["a", "1"], ["b", "x=y"], ["c", ""]]);
  });
  test("malformed, repeated and empty-path entries are one-line usage errors naming the command and flag", () => {
    expect(() => parseNameValues("build", "--param", ["noequals"])).toThrow(new UsageError("probec build: --param expects NAME=VALUE, got 'noequals'"));
    expect(() => parseNameValues("build", "--param", ["=5"])).toThrow(UsageError);
    expect(() => parseNameValues("run", "--param", ["A=1", "A=2"])).toThrow(new UsageError("probec run: --param A is given twice"));
    expect(() => parseNameValues("check", "--binary", ["envoy="], { valueName: "PATH" })).toThrow(new UsageError("probec check: --binary expects NAME=PATH, got 'envoy='"));
  });
  test("check binds one name to several binaries", () => {
    expect(parseNameValues("check", "--binary", ["envoy=/a", "envoy=/b"], { repeatable: true, valueName: "PATH" })).toEqual([["envoy", "/a"], ["envoy", "/b"]]);
  });
});
