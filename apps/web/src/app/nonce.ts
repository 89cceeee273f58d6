/**
 * The per-response CSP nonce the server writes into index.html. Mantine stamps it on the <style>
 * elements it creates, so no style runs without it.
 */
export function cspNonce(): string | undefined {
  if (typeof document === 'undefined') return undefined;
  const value = document.querySelector<HTMLMetaElement>('meta[name="csp-nonce"]')?.content;
  // In the dev server the placeholder is never replaced; there is no CSP there either.
  return value && !value.startsWith('__') ? value : undefined;
}
