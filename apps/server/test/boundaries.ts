import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

/** `from '…'`, `import '…'`, `import('…')` and `export … from '…'` specifiers. */
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"]+)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) ? [path] : [];
  });
}

/** `modules/<name>` or `platform` for a path under `src`, else null. */
function owner(src: string, path: string): string | null {
  const parts = relative(src, path).split(sep);
  if (parts[0] === 'modules' && parts.length > 2) return `modules/${parts[1]}`;
  if (parts[0] === 'platform') return 'platform';
  return null;
}

/**
 * The house rules on imports below `src`: a module reaches another module only through that
 * module's `index.ts`, and platform code never imports a module. Returns one line per breach.
 */
export function boundaryViolations(src: string): string[] {
  const found: string[] = [];
  for (const file of sourceFiles(src)) {
    const from = owner(src, file);
    if (!from) continue;
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (!spec!.startsWith('.')) continue;
      const target = resolve(dirname(file), spec!);
      const rel = relative(src, target).split(sep);
      if (rel[0] !== 'modules') continue;
      const where = `${relative(src, file)} imports '${spec}'`;
      // A platform test may run the real modules; platform code may not depend on them.
      if (from === 'platform' && /\.test\.ts$/.test(file)) continue;
      if (from === 'platform' || rel.length < 2) {
        found.push(`${where}: ${from} must not import ${rel.length < 2 ? 'the module list' : 'a module'}`);
        continue;
      }
      const to = `modules/${rel[1]}`;
      const isIndex = rel.length === 2 || (rel.length === 3 && /^index(\.tsx?)?$/.test(rel[2]!));
      if (to !== from && !isIndex) {
        found.push(`${where}: use ${to}/index.ts, not another module's files`);
      }
    }
  }
  return found;
}
