// The engine's dependencies without a case store, for measuring the engine and its Redis layer
// alone: registrations get consecutive numbers at once, everything else succeeds and finds nothing.
import { createWorkCalendar } from '../services/calendar/index.js';
import type { ConversationCases } from '../services/conversation/index.js';
import { createLogger } from '../services/logger.js';

export function stubDesk() {
  let seq = 0;
  const calendar = createWorkCalendar();
  const at = new Date('2026-11-24T02:00:00Z');
  const cases = {
    register: async () => {
      const number = `20261124${String(++seq).padStart(4, '0')}`;
      return { registered: true, number, acceptedAt: at, deferred: false, firstFeedbackBy: new Date(at.getTime() + 7 * 3600_000), duplicate: false };
    },
    addSupplement: async () => undefined,
    followUp: async () => undefined,
    progress: async () => null,
    myCases: async () => [],
    flagAgitated: async () => undefined,
    withdraw: async () => undefined,
  } as unknown as ConversationCases;
  return {
    cases,
    directory: { units: async () => [] },
    calendar,
    logger: createLogger({ level: 'error', pretty: false }),
    site: 'city',
  };
}
