import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // e2e tests share one bpftrace and the fixture's ports; running files in parallel would only contend.
    fileParallelism: false,
    testTimeout: 60_000,
    // beforeAll hooks build fixture variants (about 10 s each here, more on a busy machine).
    hookTimeout: 600_000,
  },
});
