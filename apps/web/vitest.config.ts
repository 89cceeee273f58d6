import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    // Component tests render real Mantine trees; a busy shared CI machine needs more than 5 s.
    testTimeout: 30_000,
  },
});
