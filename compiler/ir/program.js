// The probe IR: what the frontend produces from a .probe.ts and every later stage consumes.
// It is plain JSON (no classes, no bigint: big integers travel as decimal strings) so that it can be
// written, validated against its JSON Schema and read back. Stages only add information:
// frontend → ProbeProgram → resolve + ABI → ResolvedProgram → backend.
export const IR_VERSION = 1;
/** Bytes copied for a string read that names no limit: bpftrace's default BPFTRACE_STRLEN. */
export const DEFAULT_STRING_LIMIT = 64;
