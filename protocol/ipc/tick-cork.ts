import type { Socket } from 'node:net';

/**
 * Frames written to one socket in the same tick leave in one writev: the
 * first at once, the rest corked until the tick ends. Both ends of a Hadoop
 * IPC connection use it: a server's answers that finish together, a client's
 * calls from threads that share the connection (as a Hadoop client's threads
 * do) and that wake together on one read.
 */
export class TickCork {
  readonly #socket: Socket;
  #writes = 0;

  constructor(socket: Socket) {
    this.#socket = socket;
  }

  /** Call right before each socket.write. */
  beforeWrite(): void {
    if (this.#writes++ === 1) this.#socket.cork();
    else if (this.#writes === 1) process.nextTick(this.#endTick);
  }

  readonly #endTick = (): void => {
    if (this.#writes > 1) this.#socket.uncork();
    this.#writes = 0;
  };
}
