// Models are bound to a connection handed in by the composition root: no global mongoose models.
import type { Connection } from 'mongoose';
import { auditModel } from './audit.js';
import { caseModel } from './case.js';
import { counterModel } from './counter.js';
import { dutyRosterModel } from './duty-roster.js';
import { messageModel } from './message.js';
import { siteModel } from './site.js';
import { staffModel } from './staff.js';
import { telegramTopicModel } from './telegram-topic.js';
import { unitModel } from './unit.js';

export function createModels(conn: Connection) {
  return {
    Case: caseModel(conn),
    Message: messageModel(conn),
    Audit: auditModel(conn),
    Counter: counterModel(conn),
    Site: siteModel(conn),
    Unit: unitModel(conn),
    Staff: staffModel(conn),
    DutyRoster: dutyRosterModel(conn),
    TelegramTopic: telegramTopicModel(conn),
  };
}
export type Models = ReturnType<typeof createModels>;

/** Builds every index the models declare; run once at start-up. */
export async function syncIndexes(models: Models): Promise<void> {
  for (const m of Object.values(models)) await m.createIndexes();
}

export type * from './audit.js';
export type * from './case.js';
export type * from './counter.js';
export type * from './duty-roster.js';
export type * from './message.js';
export type * from './site.js';
export type * from './staff.js';
export type * from './telegram-topic.js';
export type * from './unit.js';
