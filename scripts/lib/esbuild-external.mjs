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
