/**
 * Callers that become ready together resume one per event-loop turn, in arrival order, with the poll phase (new
 * requests and their acks) in between. Clicks on one registry share one Azure read (`shareInFlight`): when a slow
 * read returned, every click waiting on it resumed in the same microtask checkpoint, and building and sending
 * hundreds of answers in one go held the loop for over a second while new clicks waited for their ack (Slack
 * allows 3 s). Outside such a burst a turn costs one loop iteration (one `setImmediate`).
 */
export class Pacer {
  private tail: Promise<void> = Promise.resolve();

  /** Resolves on this caller's own loop turn, after every earlier caller's. */
  turn(): Promise<void> {
    const mine = this.tail.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
    this.tail = mine;
    return mine;
  }
}
