/** The cheapest route: the full plugin stack (helmet, CORS, rate limit, metrics, request ids) and no I/O. */
export default {
  name: 'GET /api/health/live',
  request: () => ({ method: 'GET', path: '/api/health/live' }),
};
