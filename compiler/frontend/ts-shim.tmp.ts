import { createRequire } from "node:module";
import type * as Morph from "ts-morph";
const morph = createRequire(import.meta.url)("ts-morph") as typeof Morph;
export const ts: typeof Morph.ts = morph.ts;
export type ts = typeof Morph.ts;
