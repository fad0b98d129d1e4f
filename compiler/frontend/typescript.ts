// The TypeScript bundled with ts-morph, loaded with require(). ts-morph is CommonJS: importing it
// from an ES module makes Node scan its sources for export names first, which costs more than a
// third of probec build's start-up here. Types come from `import type { ts } from "ts-morph"`.
import { createRequire } from "node:module";
import type * as Morph from "ts-morph";

const morph = createRequire(import.meta.url)("ts-morph") as typeof Morph;

/** TypeScript's API (values: `tsv.isIdentifier`, `tsv.SyntaxKind`…). */
export const tsv: typeof Morph.ts = morph.ts;
export const Project: typeof Morph.Project = morph.Project;
