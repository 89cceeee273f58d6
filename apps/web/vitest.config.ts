import { defineProject } from 'vitest/config';

export default defineProject({
  // As in vite.config.ts: one copy of each, so @mantine/dates finds the app's MantineProvider.
  resolve: { dedupe: ['react', 'react-dom', '@mantine/core', '@mantine/hooks'] },
  test: {
    name: 'web',
    include: ['src/**/*.test.{ts,tsx}'],
    environment: 'jsdom',
    // Component tests render real Mantine trees; a busy shared CI machine needs more than 5 s.
    testTimeout: 30_000,
    // Processed by Vite rather than Node, so the dedupe above applies to its imports too.
    server: { deps: { inline: [/@mantine\/dates/] } },
  },
});
