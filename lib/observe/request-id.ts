import { randomUUID } from "node:crypto";

export const REQUEST_ID_HEADER = "x-request-id";

const WELL_FORMED = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * The id a request is logged under and answered with (`X-Request-Id`). A trusted proxy's
 * id is kept, so one id follows the request through the proxy's log and ours; anyone
 * else's is replaced (a client must not choose what our log lines say), as is a
 * malformed one. `trustedProxies` is GREENLIGHT_TRUSTED_PROXIES: above 0, the peer of
 * every request is the operator's proxy.
 */
export function chooseRequestId(incoming: string | string[] | undefined, trustedProxies: number): string {
  const given = Array.isArray(incoming) ? incoming[0] : incoming;
  if (trustedProxies > 0 && given && WELL_FORMED.test(given)) return given;
  return randomUUID();
}
