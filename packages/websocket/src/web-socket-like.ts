/**
 * The part of a WHATWG `WebSocket` this package uses: what the browsers', Deno's, Bun's and Node
 * 22's global `WebSocket` have, and what the `ws` package's `WebSocket` has too. A `ws` socket is
 * recognised by its extra methods (`on`, `pause`, `resume`, `ping`, `terminate`), which give
 * read back-pressure, keep-alive pings and a real abort.
 *
 * @example
 * ```ts
 * // @example-no-run: needs a WebSocket server on 127.0.0.1:8080 and a global WebSocket (Node 22+, Deno, Bun, browsers)
 * import type { WebSocketLike } from "@asyncstreams/websocket";
 *
 * const socket = new WebSocket("ws://127.0.0.1:8080/") as unknown as WebSocketLike; // see WebSocketConstructor
 * console.log(socket.readyState); // 0
 * ```
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes given to `send()` and not yet handed to the network. */
  readonly bufferedAmount: number;
  /** The subprotocol the server selected; `""` when none. */
  readonly protocol: string;
  /** How binary messages are delivered: `"arraybuffer"` is what this package sets. */
  binaryType: string;
  /** Sends one message. */
  send(data: Uint8Array): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Listens for `open`, `message`, `error` and `close` (typed loosely, so that `ws`'s socket fits too). */
  addEventListener(type: string, listener: (event: { readonly type: string }) => void): void;
  /** Stops listening. */
  removeEventListener(type: string, listener: (event: { readonly type: string }) => void): void;
}

/**
 * A constructor of {@linkcode WebSocketLike} sockets: the global `WebSocket`, or `ws`'s.
 *
 * @example
 * ```ts
 * import type { WebSocketConstructor } from "@asyncstreams/websocket";
 *
 * // Node's types declare the global WebSocket apart from the DOM's: the cast bridges the two.
 * const Constructor = globalThis.WebSocket as unknown as WebSocketConstructor;
 * ```
 */
export type WebSocketConstructor = new (url: string, protocols?: string | string[]) => WebSocketLike;
