// Turns what the user gave (a built .bt, or a .probe.ts to build first) into a script path and its
// manifest. A .bt reads `x.manifest.json` next to `x.bt`; a .probe.ts is built with `probec build`
// into a temporary folder (the build command's own diagnostics go to stderr).
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import type { Manifest } from "../compiler/ir/manifest.js";
import { RUN_ERRORS, RunError } from "./run-error.js";

export interface PreparedScript {
  scriptPath: string;
  manifest: Manifest;
  /** Removes what preparing made (the temporary build folder). */
  cleanup(): void;
}

export function manifestPathFor(scriptPath: string): string {
  return scriptPath.endsWith(".bt") ? `${scriptPath.slice(0, -3)}.manifest.json` : `${scriptPath}.manifest.json`;
}

export async function loadManifest(path: string): Promise<Manifest> {
  const { readManifest, ManifestError } = await import("../compiler/ir/validate-manifest.js");
  try {
    return readManifest(path);
  } catch (err) {
    if (err instanceof ManifestError) {
      const [first, ...rest] = err.message.split("\n");
      throw new RunError(RUN_ERRORS.manifestUnreadable, first, [...rest.map((l) => l.trim()), "build the script with probec build, which writes the manifest next to it"]);
    }
    throw err;
  }
}

export async function prepareBuiltScript(scriptPath: string, manifest?: Manifest | string): Promise<PreparedScript> {
  if (!existsSync(scriptPath)) throw new RunError(RUN_ERRORS.scriptUnavailable, `cannot read script '${scriptPath}': no such file`);
  const m = typeof manifest === "object" ? manifest : await loadManifest(manifest ?? manifestPathFor(scriptPath));
  return { scriptPath, manifest: m, cleanup: () => {} };
}

/** Builds a .probe.ts with the build command, in-process, into a temporary folder. */
export async function prepareProbeFile(probeFile: string, binaries: Record<string, string>): Promise<PreparedScript> {
  if (!existsSync(probeFile)) throw new RunError(RUN_ERRORS.scriptUnavailable, `cannot read probe file '${probeFile}': no such file`);
  const dir = mkdtempSync(join(tmpdir(), "probec-run-"));
  const cleanup = () => rmSync(dir, { recursive: true, force: true });
  try {
    const out = join(dir, basename(probeFile).replace(/(\.probe)?\.ts$/, "") + ".bt");
    const argv = [probeFile, ...Object.entries(binaries).flatMap(([name, path]) => ["--binary", `${name}=${path}`]), "-o", out];
    const build = await import("../compiler/cli/commands/build.js");
    // The build command reports on stdout ("wrote …"); here stdout belongs to the decoded events.
    const stdoutWrite = process.stdout.write;
    process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
    let code: number;
    try {
      code = await build.main(argv);
    } finally {
      process.stdout.write = stdoutWrite;
    }
    if (code !== 0 || !existsSync(out)) {
      throw new RunError(RUN_ERRORS.scriptUnavailable, `probec build failed for '${probeFile}' (exit ${code}); its diagnostics are above`);
    }
    const manifest = await loadManifest(manifestPathFor(out));
    return { scriptPath: out, manifest, cleanup };
  } catch (err) {
    cleanup();
    throw err;
  }
}
