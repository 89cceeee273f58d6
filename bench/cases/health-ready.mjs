/** One database round trip per request (ping), so PGlite and PostgreSQL show their difference. */
export default {
  name: 'GET /api/health/ready',
  request: () => ({ method: 'GET', path: '/api/health/ready' }),
};
