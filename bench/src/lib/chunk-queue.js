// @ts-check
/**
 * A push-fed async iterable of chunks: the in-memory stand-in for a socket's source, for the peers
 * that read an (async) iterable rather than a reader object (it-byte-stream, it-length-prefixed).
 * `produce()` feeds it like a reader (`feedData()`, `feedEof()`); `for await` (or `next()`) takes
 * the chunks in order. It costs one promise per chunk that arrives while the consumer waits (one
 * per 65,536 bytes), which is what it-pushable, the queue those libraries' users reach for, costs.
 *
 * @implements {AsyncIterableIterator<Uint8Array>}
 */
export class ChunkQueue {
  /** @type {(Uint8Array | undefined)[]} */
  #chunks = [];
  #head = 0;
  #ended = false;
  /** @type {(() => void) | null} */
  #wake = null;

  /** @param {Uint8Array} chunk */
  feedData(chunk) {
    this.#chunks.push(chunk);
    this.#wakeUp();
  }

  feedEof() {
    this.#ended = true;
    this.#wakeUp();
  }

  [Symbol.asyncIterator]() {
    return this;
  }

  /** @returns {Promise<IteratorResult<Uint8Array, undefined>>} */
  async next() {
    while (this.#head === this.#chunks.length) {
      if (this.#ended) return { done: true, value: undefined };
      await new Promise((resolve) => {
        this.#wake = () => resolve(undefined);
      });
    }
    const chunk = /** @type {Uint8Array} */ (this.#chunks[this.#head]);
    this.#chunks[this.#head++] = undefined; // let a consumed chunk be collected
    return { done: false, value: chunk };
  }

  #wakeUp() {
    const wake = this.#wake;
    if (wake !== null) {
      this.#wake = null;
      wake();
    }
  }
}
