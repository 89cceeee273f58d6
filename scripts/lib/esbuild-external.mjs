// The bundles' one rule: our own TypeScript (including the @clockpilot/* workspace packages) is bundled;
// every npm package stays external and loads from node_modules, so native and WASM packages keep working.
export const externalPackages = {
  name: 'external-packages',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith('@clockpilot/') ? undefined : { path: args.path, external: true },
    );
  },
};

/**
 * esbuild's options for every Node bundle we ship (server, CLI, simulator) and for the benchmarks that
 * measure them: the code run is the code shipped (no keepNames, which tsx adds and which wraps every
 * closure made in a `__name` call).
 */
export const nodeBundle = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: 'linked',
  plugins: [externalPackages],
  logLevel: 'warning',
};
