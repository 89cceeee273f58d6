// npm leaves other platforms' optional native packages (biome, rollup, esbuild …) out of
// package-lock.json when the registry in use does not serve them, and `npm ci` then refuses the lock.
// This adds each missing entry with its os/cpu/libc (from the registry, else read from the package
// name, e.g. `@rollup/rollup-win32-x64-msvc`), so npm ci skips it on other platforms.
// Run after changing dependencies: `npm run lock:complete`.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

const OSES = [
  'aix',
  'android',
  'darwin',
  'freebsd',
  'linux',
  'netbsd',
  'openbsd',
  'openharmony',
  'sunos',
  'win32',
];
const CPUS = ['arm', 'arm64', 'ia32', 'loong64', 'mips64el', 'ppc64', 'riscv64', 's390x', 'x64'];

function registryInfo(name, spec) {
  try {
    const out = execFileSync(
      'npm',
      ['view', `${name}@${spec}`, 'version', 'os', 'cpu', 'libc', 'license', '--json'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    );
    const meta = JSON.parse(out);
    return Array.isArray(meta) ? meta[meta.length - 1] : meta;
  } catch {
    return undefined;
  }
}

function inferredInfo(name, spec) {
  const parts = name.split('/').pop().split('-');
  const os = OSES.find((o) => parts.includes(o));
  const cpu = CPUS.find((c) => parts.includes(c));
  const libc = parts.includes('musl')
    ? 'musl'
    : parts.includes('gnu') || parts.includes('gnueabihf')
      ? 'glibc'
      : undefined;
  // A package that cannot be placed is marked for no platform: it is optional, so skipping it is safe.
  return { version: spec, os: [os ?? 'none'], cpu: cpu ? [cpu] : undefined, libc: libc ? [libc] : undefined };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;
let added = 0;

for (const [key, entry] of Object.entries(packages)) {
  for (const [name, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    // Resolution as npm does it: nested first, then hoisted to the root node_modules.
    const base = key === '' ? '' : `${key}/`;
    if (packages[`${base}node_modules/${name}`] || packages[`node_modules/${name}`]) continue;
    const info = registryInfo(name, spec) ?? inferredInfo(name, spec);
    packages[`node_modules/${name}`] = {
      version: info.version,
      ...(entry.dev ? { dev: true } : {}),
      ...(info.license ? { license: info.license } : {}),
      optional: true,
      ...(info.os ? { os: info.os } : {}),
      ...(info.cpu ? { cpu: info.cpu } : {}),
      ...(info.libc ? { libc: info.libc } : {}),
    };
    added++;
  }
}

lock.packages = Object.fromEntries(
  Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} optional platform package(s) added`);
