/**
 * TLS failures from node:tls name a certificate problem, not the setting that fixes it. These codes
 * and messages are the ones a wrong CA, a wrong host name or a server without TLS produce.
 */
const TLS_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_SIGNATURE_FAILURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
]);
const TLS_MESSAGES = /does not support SSL|certificate|ssl|tls/i;

/** The same error with the settings to check appended, when it is a TLS failure; else unchanged. */
export function withTlsHint(err: Error, settings: string): Error {
  const code = (err as { code?: string }).code ?? '';
  if (!TLS_CODES.has(code) && !TLS_MESSAGES.test(err.message)) return err;
  if (err.message.includes(settings)) return err;
  err.message = `TLS: ${err.message} (check ${settings})`;
  return err;
}
