// The bench server starts with a first admin from BENCH_ADMIN (see run.mjs); cases that call as a
// signed-in user share one access token, as a browser tab does.
export const BENCH_ADMIN = { username: 'bench_admin', password: 'Bench-Harbor-Granite-42' };

export async function signIn(baseUrl) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: BENCH_ADMIN.username, password: BENCH_ADMIN.password }),
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${await res.text()}`);
  const { accessToken } = await res.json();
  return { authorization: `Bearer ${accessToken}` };
}
