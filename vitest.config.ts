import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // examples/: tests written as a project embedding kq's broker would (through the package entry point).
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx', 'examples/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    // Interop tests start brokers and child processes; two cores, so keep parallelism modest.
    maxWorkers: 2,
    // ink renders only its final frame when it believes it runs in CI; the component tests read every frame,
    // and CI sets CI=true. (kq quiz itself does the same on a real terminal: see src/cli/commands/quiz.ts.)
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
