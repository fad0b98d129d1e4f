// Usage errors are one line on stderr and exit code 2, for every command alike.
import { parseArgs, type ParseArgsConfig } from "node:util";

type Parsed<T extends ParseArgsConfig> = ReturnType<typeof parseArgs<T>>;

export class UsageError extends Error {}

/** Parses argv with util.parseArgs, turning its errors into a UsageError with a short message. */
export function parseCommandArgs<T extends ParseArgsConfig>(command: string, config: T): Parsed<T> {
  try {
    return parseArgs<T>({ ...config, strict: true });
  } catch (err) {
    const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
    throw new UsageError(`probec ${command}: ${msg}`);
  }
}

/** Runs a command body, mapping UsageError to exit code 2 with a one-line message. */
export async function withUsage(body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
