// The build pipeline's public face: `buildProbeFile` (what `probec build` runs) and the pieces the
// runtime reuses to build a .probe.ts before running it.
export { buildProbeFile, type BuildRequest, type BuildResult } from "./build.js";
export { outputPathsFor, type OutputPaths } from "./output-paths.js";
export type { SymbolSource, PointResolution } from "./symbol-source.js";
export { BuildCode } from "./build-diagnostics.js";
export { buildFile, probecVersion, type BuildFileOptions } from "./build-file.js";
export { RealSymbolSource, type RealSymbolSourceOptions } from "./real-symbol-source.js";
