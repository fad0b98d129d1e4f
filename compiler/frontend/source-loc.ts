// Source locations of nodes, as the IR and diagnostics carry them.
import type { ts } from "ts-morph";
import type { SourceLoc } from "../ir/program.js";
import type { SourceSpan } from "../diagnostics/messages.js";

export type SpanOf = (node: ts.Node) => SourceSpan;

/** Makes the node → span function for one compilation; `displayPath` maps absolute file names to what is printed. */
export function makeSpanOf(displayPath: (fileName: string) => string): SpanOf {
  return (node) => {
    const sf = node.getSourceFile();
    const start = node.getStart(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(start);
    return { file: displayPath(sf.fileName), line: line + 1, column: character + 1, length: node.getEnd() - start };
  };
}

export function locOnly(span: SourceLoc & { length?: number }): SourceLoc {
  return { file: span.file, line: span.line, column: span.column };
}
