// What a line of staff text means once parsed: a command on one case, or a desk-wide one.
// Free text in these fields is exactly what was typed (trimmed): nothing in it is interpreted.
import type { ResolveOutcome } from '../../machines/case-lifecycle.js';
import type { Category, OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import type { CaseServices, ListScope } from '../cases/index.js';

/** What a handling record takes, as the case services define it. */
export type RecordInput = Parameters<CaseServices['record']>[1];

export type CaseCommand = { number: string } & (
  | { verb: 'view' }
  | { verb: 'reveal' }
  | { verb: 'classify'; category: Category }
  | { verb: 'reclassify'; category: Category }
  | { verb: 'outOfScope'; reason: OutOfScopeReason; note?: string }
  | { verb: 'agitated' }
  | { verb: 'calmed'; note?: string }
  | { verb: 'assign'; staffId: string }
  | { verb: 'involve'; unit: string }
  | { verb: 'record'; record: RecordInput }
  /** `target` is a stationed window's code or name as typed. */
  | { verb: 'askWindow'; target: string; question: string }
  | { verb: 'windowAnswer'; text: string }
  /** `target` is a unit code or name as typed; the executor resolves it against the directory. */
  | { verb: 'transfer'; target?: string; content?: string; remarks?: string }
  | { verb: 'ack' }
  | { verb: 'answer'; text: string; eligible: boolean; basis?: string }
  | { verb: 'resolve'; outcome: ResolveOutcome; text: string; basis?: string }
  | { verb: 'feedback'; text: string }
  | { verb: 'reply'; text?: string }
  | { verb: 'followUp'; satisfaction: Satisfaction; comment?: string }
  | { verb: 'archive' }
  | { verb: 'withdraw'; reason?: string }
);

export type DeskCommand =
  | { verb: 'list'; scope: ListScope; page: number }
  | { verb: 'duty' }
  | { verb: 'stats' }
  | { verb: 'units' }
  | { verb: 'help' }
  | { verb: 'register'; name: string; phone: string; matter: string; account: string; channel: 'window' | 'hotline' };

export type ParsedCommand = CaseCommand | DeskCommand;
export type ParseResult = ParsedCommand | { error: string };

export const isCaseCommand = (c: ParsedCommand): c is CaseCommand => 'number' in c;
