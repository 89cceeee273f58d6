import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    // A fresh worker for each file (React, Mantine and jsdom keep state between files): the threads
    // pool isolates, the forks pool of the server's files reuses its processes (vitest.config.ts).
    pool: 'threads',
    // After the forks pool's files, not beside them: two workers at a time, as before.
    sequence: { groupOrder: 1 },
    // Component tests render real Mantine trees; a busy shared CI machine needs more than 5 s.
    testTimeout: 30_000,
  },
});
