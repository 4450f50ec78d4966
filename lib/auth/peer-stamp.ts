import http from "node:http";
import https from "node:https";
import { PEER_HEADER, peerStamp } from "./client-address";

const INSTALLED = Symbol.for("greenlight.peer-stamp-installed");

/**
 * Stamps every request this process's HTTP servers receive with its socket's peer
 * address (replacing any header of that name the client sent). Route handlers read it
 * through `clientAddress`; see `client-address.ts` for why it is needed.
 */
export function installPeerStamp(): void {
  for (const Server of [http.Server, https.Server]) {
    const proto = Server.prototype as typeof Server.prototype & { [INSTALLED]?: boolean };
    if (proto[INSTALLED]) continue;
    const emit = proto.emit;
    proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
      if (event === "request") {
        const request = args[0] as http.IncomingMessage;
        request.headers[PEER_HEADER] = peerStamp(request.socket?.remoteAddress);
      }
      return Reflect.apply(emit, this, [event, ...args]) as boolean;
    } as typeof proto.emit;
    proto[INSTALLED] = true;
  }
}
