// Errors of the conversation engine. Channels log them; the citizen is answered by the engine
// itself wherever an answer makes sense, so these mean "the update was not handled; retry it".

/** Another turn was saved while this one ran: this process lost its lock lease (Redis unreachable for longer than the lease). */
export class ConversationConflictError extends Error {
  override readonly name = 'ConversationConflictError';
  constructor(
    readonly key: string,
    readonly expectedVersion: number,
    readonly actualVersion: number,
  ) {
    super(
      `Dialogue ${key} was saved by another turn (expected version ${expectedVersion}, found ${actualVersion}); this turn was not saved. ` +
        'Redeliver the update: its effects are idempotent. If this repeats, raise lockLeaseMs or check the connection to Redis.',
    );
  }
}
