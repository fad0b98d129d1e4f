// The matrix as text for people: the binaries with their build-ids, a grid of one short status per
// point and binary, then what each point resolved to in each binary.
import type { CheckCell, CheckPoint, CheckReport } from "./report.js";

const where = (p: CheckPoint) => `${p.loc.file}:${p.loc.line}:${p.loc.column}`;

/** The grid's word for a cell: short enough to sit in a column. */
export function cellStatus(cell: CheckCell, point: CheckPoint): string {
  switch (cell.status) {
    case "resolved": {
      if (cell.readErrors) return "BAD READ";
      const n = cell.symbols.length;
      const alt = point.patterns.length > 1 ? ` alt ${cell.alternatives.map((i) => i + 1).join("+")}` : "";
      return `ok${alt}${n > 1 ? ` ×${n}` : ""}`;
    }
    case "missing":
      return cell.required ? "MISSING" : point.group ? "absent" : "skipped";
    case "not-taken":
      return "not taken";
    case "unbound":
      return "-";
    case "error":
      return "ERROR";
  }
}

function pointTitle(p: CheckPoint): string {
  const flags = [p.kind, p.optional ? "optional" : "required", p.select === "all" && p.patterns.length > 1 ? "anyOf" : "", p.group ? `orElse #${p.group.index + 1} of ${p.group.id}` : ""]
    .filter((s) => s !== "")
    .join(", ");
  return `${p.id}  ${where(p)}  (${flags})`;
}

function cellDetail(cell: CheckCell, point: CheckPoint): string[] {
  switch (cell.status) {
    case "resolved": {
      const alt = point.patterns.length > 1 ? `alt ${cell.alternatives.map((i) => i + 1).join("+")}: ` : "";
      const lines = cell.symbols.map((s, i) => `${i === 0 ? alt : " ".repeat(alt.length)}${s.demangled}  @0x${s.address.toString(16)}`);
      return [...lines, ...(cell.readErrors ?? []).map((e) => `bad read: ${e}`)];
    }
    case "missing": {
      const head = cell.required ? "missing (required)" : point.group ? "absent (another alternative is tried)" : "missing (optional: skipped)";
      return cell.candidates.length === 0 ? [head] : [head, ...cell.candidates.map((c) => `  nearest: ${c}`)];
    }
    case "not-taken":
      return [`not taken: alternative ${cell.takenBy} resolved first`];
    case "unbound":
      return ["not this binary"];
    case "error":
      return [`error: ${cell.message}`];
  }
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

/** The matrix only; the diagnostics (why a point is missing) are printed apart, on stderr. */
export function formatReportText(report: CheckReport): string {
  const out: string[] = [];
  out.push(`probec check ${report.script}: ${report.points.length} probe point${report.points.length === 1 ? "" : "s"} × ${report.columns.length} binar${report.columns.length === 1 ? "y" : "ies"}`);
  out.push("");
  for (const c of report.columns) {
    const facts = c.error ? `unreadable: ${c.error}` : `build-id ${c.buildId ?? "(none)"}  ${c.arch ?? "?"}  ${c.stdlib ?? "?"}`;
    out.push(`[${c.index}] ${c.name} = ${c.path}`);
    out.push(`    ${facts}`);
  }
  out.push("");

  // The grid: one row per point, one column per binary.
  const labels = report.points.map((p) => `${p.id} ${where(p)}`);
  const labelWidth = Math.max(5, ...labels.map((l) => l.length));
  const statuses = report.points.map((p) => p.cells.map((c) => cellStatus(c, p)));
  const widths = report.columns.map((c, i) => Math.max(`[${c.index}]`.length, ...statuses.map((row) => row[i]!.length)));
  out.push([pad("point", labelWidth), ...report.columns.map((c, i) => pad(`[${c.index}]`, widths[i]!))].join("  ").trimEnd());
  report.points.forEach((p, r) => {
    out.push([pad(labels[r]!, labelWidth), ...statuses[r]!.map((s, i) => pad(s, widths[i]!))].join("  ").trimEnd());
  });
  out.push("");

  // The details: patterns and, per binary, the symbol (or why there is none).
  for (const p of report.points) {
    out.push(pointTitle(p));
    p.patterns.forEach((pattern, i) => out.push(`    ${p.patterns.length > 1 ? `alt ${i + 1}` : "pattern"} ${p.binary}: ${pattern}`));
    p.cells.forEach((cell, i) => {
      const lines = cellDetail(cell, p);
      const tag = `    [${report.columns[i]!.index}] `;
      lines.forEach((l, j) => out.push(`${j === 0 ? tag : " ".repeat(tag.length)}${l}`));
    });
    out.push("");
  }
  out.push(report.ok ? "ok: every required point resolves in every binary" : "FAILED: see the errors");
  return out.join("\n") + "\n";
}
