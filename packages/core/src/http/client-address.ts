/** The peer address of each request `toNodeListener` built, for as long as the request lives. */
const addresses = new WeakMap<Request, string>();

/** Records the address of the client that sent `request` (`toNodeListener` calls it with the socket's peer). */
export function setClientAddress(request: Request, address: string): void {
  addresses.set(request, address);
}

/**
 * The address of the client that sent `request`, when the server adapter recorded one
 * (`toNodeListener` records the socket's peer address); `undefined` for a request built elsewhere.
 * Behind a proxy this is the proxy's address: give `createRequestHandler` a `clientAddress` option
 * that reads your proxy's header instead.
 */
export function clientAddressOf(request: Request): string | undefined {
  return addresses.get(request);
}
