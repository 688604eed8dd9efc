import type { Logger } from 'pino';
import type { ExitStatus, FleetMember } from './fleet-member';

/**
 * Keeps what `nnfleet up` started, in start order, and stops it in reverse:
 * what depends on something stops before it (namenodes before MariaDB).
 * A member that exits while nobody asked it to is reported once.
 */
export class Supervisor {
  readonly #members: FleetMember[] = [];
  readonly #logger: Logger;
  readonly #onUnexpectedExit: (member: FleetMember, status: ExitStatus) => void;
  #stopping = false;

  constructor(logger: Logger, onUnexpectedExit: (member: FleetMember, status: ExitStatus) => void) {
    this.#logger = logger;
    this.#onUnexpectedExit = onUnexpectedExit;
  }

  /** False once stopAll began: a member started concurrently is stopped at once. */
  add(member: FleetMember): boolean {
    if (this.#stopping) {
      void member.stop().catch((err: unknown) => this.#logger.error({ err, member: member.name }, 'stop failed'));
      return false;
    }
    this.#members.push(member);
    void member.exited?.then((status) => {
      if (!this.#stopping) this.#onUnexpectedExit(member, status);
    });
    return true;
  }

  get stopping(): boolean {
    return this.#stopping;
  }

  /** Stops every member, the last started first; a failure to stop one does not spare the others. */
  async stopAll(): Promise<void> {
    this.#stopping = true;
    for (const member of this.#members.splice(0).reverse()) {
      try {
        await member.stop();
        this.#logger.info({ member: member.name, pid: member.pid }, 'stopped');
      } catch (err) {
        this.#logger.error({ err, member: member.name, pid: member.pid }, 'stop failed');
      }
    }
  }
}
