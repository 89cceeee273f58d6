import { signIn } from '../sign-in.mjs';

/** The home screen's poll: bearer verification, the caller's person, this week's entries and breaks. */
export default {
  name: 'GET /api/v1/time/status (bearer)',
  setup: signIn,
  request: (headers) => ({ method: 'GET', path: '/api/v1/time/status', headers }),
};
