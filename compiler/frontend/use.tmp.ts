import { ts } from "./ts-shim.tmp.js";
export function f(n: ts.Node): boolean { return ts.isIdentifier(n); }
