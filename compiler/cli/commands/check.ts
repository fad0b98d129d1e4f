// Placeholder until the command lands; it fails loudly rather than pretending to work.
export async function main(_argv: string[]): Promise<number> {
  process.stderr.write("probec check: not implemented yet\n");
  return 1;
}
