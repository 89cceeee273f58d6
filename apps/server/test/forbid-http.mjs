// Loaded with `node --import`: the process fails as soon as anything imports the HTTP framework, which
// shows that a command runs on the module services alone.
import { register } from 'node:module';

const hook = `
export async function resolve(specifier, context, next) {
  if (/^(fastify|@fastify\\/|fastify-)/.test(specifier)) {
    throw new Error('the HTTP framework was loaded: ' + specifier + ' from ' + context.parentURL);
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(hook)}`);
