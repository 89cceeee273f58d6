/** `${NAME}`, `${NAME:-default}` (unset or empty), `${NAME-default}` (unset), `${NAME:?message}`, `${NAME?message}`. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?])([^}]*))?\}/g;

/**
 * A configuration file's string values with the environment's variables put in, as compose files
 * and shells write them (the original layout's production template does): a required one that is
 * missing is a problem naming its key and the file's own message.
 */
export function interpolate(
  node: unknown,
  env: NodeJS.ProcessEnv,
  problems: string[],
  where: string,
  path = '',
): unknown {
  if (typeof node === 'string') {
    return node.replace(REFERENCE, (whole, name: string, colon: string, op: string, arg: string) => {
      const value = env[name];
      const missing = value === undefined || (colon === ':' && value === '');
      if (!op || !missing) return value ?? '';
      if (op === '-') return arg;
      problems.push(`CONFIG_FILE: ${path} in ${where}: ${arg || `${name} is required`} (${whole})`);
      return '';
    });
  }
  if (Array.isArray(node)) return node.map((v, i) => interpolate(v, env, problems, where, `${path}[${i}]`));
  if (node !== null && typeof node === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node)) {
      out[k] = interpolate(v, env, problems, where, path ? `${path}.${k}` : k);
    }
    return out;
  }
  return node;
}
