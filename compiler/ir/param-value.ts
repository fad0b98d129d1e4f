// The one spelling of an integer `param.int` value, for `probec build --param`, a manifest's
// defaults and `probec run --param`: decimal or 0x hex, optionally negative, within 64 bits.
// bpftrace itself reads a positional parameter with C's base detection (`010` is 8), so what it
// is given is always the decimal spelling of the value.

const SPELLING = /^-?(0x[0-9a-f]+|[0-9]+)$/i;

/** What an integer parameter may look like, for messages. */
export const INT_PARAM_SPELLING = "an integer (decimal or 0x hex, optionally negative, within 64 bits)";

/** The value of an integer parameter, or null when `raw` is not one. */
export function parseIntParam(raw: string): bigint | null {
  if (!SPELLING.test(raw)) return null;
  const negative = raw.startsWith("-");
  const magnitude = BigInt(negative ? raw.slice(1) : raw);
  const value = negative ? -magnitude : magnitude;
  return value >= -(1n << 63n) && value < 1n << 64n ? value : null;
}

/** The argument bpftrace is given for an integer parameter (its decimal spelling), or null. */
export function intParamArgument(raw: string): string | null {
  const v = parseIntParam(raw);
  return v === null ? null : v.toString();
}
