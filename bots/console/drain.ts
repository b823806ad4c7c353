// Delivers what a console line caused before the next line is read, so the terminal shows
// effects in order. The background loop may hold some of them in flight: wait for those too
// (bounded, so a message held by quiet hours never blocks the terminal).
import type { Models } from '../../models/index.js';
import type { Clock } from '../../services/clock.js';
import type { Dispatcher } from '../../services/delivery/index.js';

export async function drainConsole(deps: { models: Models; dispatcher: Dispatcher; clock: Clock }): Promise<void> {
  const { models, dispatcher, clock } = deps;
  for (let i = 0; i < 100; i++) {
    await dispatcher.relayOnce();
    await dispatcher.dispatchOnce();
    const busy = await models.Message.countDocuments({
      'to.channel': 'console',
      state: { $in: ['pending', 'sending'] },
      nextAttemptAt: { $lte: clock.now() },
    });
    const unrelayed = await models.Case.countDocuments({ outboxAt: { $ne: null } });
    if (busy === 0 && unrelayed === 0) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}
