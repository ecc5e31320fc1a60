import type { Socket } from "node:net";

/**
 * How long accepted connections may wait to be set up while more keep arriving. It bounds the delay
 * a burst adds to its first connection; the handshake timeout of a TLS server counts from the
 * accept, so the wait is not lost from it.
 */
const ACCEPT_FIRST_MS = 250;

/** How many accepted connections one turn of the event loop sets up once accepting has paused. */
const SERVE_SLICE = 16;

/**
 * A server's accepted connections not yet set up, oldest first, set up accept-first.
 *
 * Node accepts one connection per turn of its event loop, so whatever a turn spends setting up
 * connections delays the next accept. Setting up costs a fraction of a millisecond (a TLS server
 * makes its TLS socket then) and accepting a tenth of that: served as they come, a burst of 1,000
 * waits in the kernel's queue, unseen and untimed, for hundreds of milliseconds, and the last ones
 * outlive their handshake timeout by as much. So while connections keep arriving (for at most
 * {@linkcode ACCEPT_FIRST_MS}), turns only accept and note the time; then each turn sets up
 * {@linkcode SERVE_SLICE}.
 */
export class AcceptQueue {
  readonly #serve: (socket: Socket, acceptedAt: number) => void;
  readonly #served: () => void;
  #queue: { socket: Socket; acceptedAt: number }[] = [];
  /** Whether a connection was accepted since the last turn. */
  #arrived = false;
  #scheduled = false;

  /**
   * @param serve Sets up one connection, given the time of its accept.
   * @param served Called after each batch is set up.
   */
  constructor(serve: (socket: Socket, acceptedAt: number) => void, served: () => void) {
    this.#serve = serve;
    this.#served = served;
  }

  /** How many connections wait to be set up. */
  get length(): number {
    return this.#queue.length;
  }

  /** Notes a connection just accepted; it is set up on a later turn. */
  push(socket: Socket): void {
    this.#queue.push({ socket, acceptedAt: performance.now() });
    this.#arrived = true;
    this.#schedule();
  }

  /** Sets up every waiting connection now (a closing server: they are clients too). */
  flush(): void {
    this.#setUp(this.#queue.length);
  }

  #schedule(): void {
    if (this.#scheduled || this.#queue.length === 0) return;
    this.#scheduled = true;
    setImmediate(this.#turn);
  }

  #setUp(count: number): void {
    for (const { socket, acceptedAt } of this.#queue.splice(0, count)) this.#serve(socket, acceptedAt);
    this.#served();
  }

  readonly #turn = (): void => {
    this.#scheduled = false;
    const oldest = this.#queue[0];
    if (oldest === undefined) return;
    const accepting = this.#arrived && performance.now() - oldest.acceptedAt < ACCEPT_FIRST_MS;
    this.#arrived = false;
    if (!accepting) this.#setUp(SERVE_SLICE);
    this.#schedule();
  };
}
