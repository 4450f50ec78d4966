import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import http from "node:http";
import https from "node:https";
import type { LookupFunction } from "node:net";
import { isSpecialAddress, privateTargetsAllowed } from "./target";

// One POST to a webhook target. The connection's own DNS answer is checked (not only the
// one `refuseTarget` saw before), so a name that changes its answer in between (DNS
// rebinding) still cannot reach a private address. Redirects are not followed.

export class TargetRefused extends Error {}

const checkedLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "", 4);
    const list = addresses as LookupAddress[];
    if (!privateTargetsAllowed() && list.some((a) => isSpecialAddress(a.address))) {
      return callback(new TargetRefused(`${hostname} resolves to a private address`), "", 4);
    }
    if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
    const first = list.find((a) => a.family === 4) ?? list[0];
    callback(null, first.address, first.family);
  });
};

/** Sends the body; resolves with the response's status code. */
export function postWebhook(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<number> {
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, lookup: checkedLookup, timeout: timeoutMs },
      (response) => {
        response.resume();
        response.on("end", () => resolve(response.statusCode ?? 0));
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error("timed out")));
    request.on("error", reject);
    request.end(body);
  });
}
