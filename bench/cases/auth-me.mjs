import { signIn } from '../sign-in.mjs';

/** The cheapest authenticated route: bearer verification, the revocation check, one user read. */
export default {
  name: 'GET /api/v1/auth/me (bearer)',
  setup: signIn,
  request: (headers) => ({ method: 'GET', path: '/api/v1/auth/me', headers }),
};
