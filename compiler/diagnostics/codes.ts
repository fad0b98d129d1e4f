// Blocks of probec diagnostic codes, one per stage, so a code says where it came from.
// Codes are stable: never renumber one, add new ones at the end of their block.
export const CODE_BLOCKS = {
  /** Reading inputs, options, the driver. */
  input: [9000, 9099],
  /** The front end: DSL usage and the TypeScript subset a handler may use. */
  frontend: [9100, 9299],
  /** Symbol resolution: patterns against binaries. */
  symbols: [9300, 9399],
  /** ABI: where an argument lives and how it is read. */
  abi: [9400, 9499],
  /** The bpftrace backend. */
  backend: [9500, 9599],
  /** probec build/run/check commands and what bpftrace reports back. */
  commands: [9600, 9699],
} as const;
