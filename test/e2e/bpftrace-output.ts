// Reading what bpftrace prints: the "attached" line, `-f json` lines, and 0.17's string escaping.
// No test framework here, so scripts (examples/demo.sh) can use it too.

const ATTACHED_JSON = /^\{"type": ?"attached_probes", ?"data": ?\{"probes": ?(\d+)\}\}$/m;
const ATTACHED_TEXT = /^Attaching (\d+) probes?\.\.\.$/m;

/** The number of attached probes bpftrace reported, or undefined if it has not yet. */
export function attachedProbeCount(stdout: string): number | undefined {
  const m = ATTACHED_JSON.exec(stdout) ?? ATTACHED_TEXT.exec(stdout);
  return m ? Number(m[1]) : undefined;
}

/** Parse `-f json` output into objects, skipping non-JSON lines (bpftrace prints a few warnings). */
export function parseJsonLines(stdout: string): { type: string; data: unknown }[] {
  const out: { type: string; data: unknown }[] = [];
  for (const line of stdout.split("\n")) {
    if (!line.startsWith("{")) continue;
    try {
      out.push(JSON.parse(line) as { type: string; data: unknown });
    } catch {
      // A line cut by a kill is not an event.
    }
  }
  return out;
}

/**
 * Undo bpftrace 0.17's JSON escaping of bytes ≥ 0x80 (`\uffffffXX`, a sign-extended char) and
 * return the exact bytes of a JSON string literal body. Test helper; the runtime has its own decoder.
 */
export function decodeBpftraceJsonString(jsonLiteral: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < jsonLiteral.length; i++) {
    const c = jsonLiteral[i]!;
    if (c !== "\\") {
      for (const b of Buffer.from(c, "latin1")) bytes.push(b);
      continue;
    }
    const n = jsonLiteral[++i];
    const simple: Record<string, number> = { '"': 0x22, "\\": 0x5c, "/": 0x2f, b: 8, f: 12, n: 10, r: 13, t: 9 };
    if (n !== undefined && n in simple) {
      bytes.push(simple[n]!);
    } else if (n === "u") {
      const wide = /^ffffff([0-9a-fA-F]{2})/.exec(jsonLiteral.slice(i + 1, i + 9));
      if (wide) {
        bytes.push(parseInt(wide[1]!, 16));
        i += 8;
      } else {
        const cp = parseInt(jsonLiteral.slice(i + 1, i + 5), 16);
        for (const b of Buffer.from(String.fromCharCode(cp), "utf8")) bytes.push(b);
        i += 4;
      }
    } else {
      throw new Error(`bad escape \\${n} in bpftrace JSON string`);
    }
  }
  return Buffer.from(bytes);
}
