// SHA-1 on demand. node:crypto costs several milliseconds to load, and most runs of
// `probec symbols` never hash anything (the digest is only needed once a second file with the
// same build-id shows up), so it is required lazily rather than imported.
import { createRequire } from "node:module";

type Crypto = typeof import("node:crypto");
let crypto: Crypto | undefined;

export function sha1Hex(...parts: Array<Buffer | string>): string {
  crypto ??= createRequire(import.meta.url)("node:crypto") as Crypto;
  const h = crypto.createHash("sha1");
  for (const p of parts) h.update(p);
  return h.digest("hex");
}
