import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Integration tests spawn the built binary and start servers; two workers fit a 2-core machine.
    maxWorkers: 2,
    reporters: ["default"],
  },
});
