// What a line of staff text means once parsed: a command on one case, or a desk-wide one.
// Free text in these fields is exactly what was typed (trimmed): nothing in it is interpreted.
import type { ResolveOutcome } from '../../machines/case-lifecycle.js';
import type { Category, OutOfScopeReason, Satisfaction } from '../../models/vocabulary.js';
import type { CaseServices, ListScope } from '../cases/index.js';
import type { PeriodSpec } from '../reports/period.js';

/** What a handling record takes, as the case services define it. */
export type RecordInput = Parameters<CaseServices['record']>[1];

export type CaseCommand = { number: string } & (
  | { verb: 'view' }
  | { verb: 'reveal' }
  /** `units`: "被反映单位" answered in the same line (分类 未进驻 被反映单位 jyj). */
  | { verb: 'classify'; category: Category; units?: string[] | 'none' }
  | { verb: 'reclassify'; category: Category }
  | { verb: 'outOfScope'; reason: OutOfScopeReason; note?: string }
  | { verb: 'agitated' }
  | { verb: 'calmed'; note?: string }
  | { verb: 'assign'; staffId: string }
  /** Units as typed (codes or names); the executor resolves them. */
  | { verb: 'involve'; units: string[] }
  | { verb: 'uninvolve'; unit: string; reason?: string }
  | { verb: 'settle'; units: string[] | 'none' }
  /** Compose (or, with content, edit) the slip's 诉求内容 and show what the unit will read. */
  | { verb: 'draft'; target?: string; content?: string }
  | { verb: 'preview'; target?: string }
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
  /** `reveal`: the reporter's full name and phone on the form (viewFullIdentity, private chats only, audited). */
  | { verb: 'registrationForm'; reveal: boolean }
  /** `resend`: send the latest slip to its unit again instead of showing it. */
  | { verb: 'slipForm'; resend: boolean }
);

export type DeskCommand =
  /** `unit` as typed (code or name) when the list is one unit's cases; the executor resolves it. */
  | { verb: 'list'; scope: ListScope; page: number; unit?: string }
  | { verb: 'duty' }
  | { verb: 'stats' }
  | { verb: 'units' }
  | { verb: 'help' }
  /** No period: the configured default (this week unless REPORT_LEDGER_PERIOD says month). */
  | { verb: 'ledger'; period?: PeriodSpec }
  | { verb: 'performance'; period?: PeriodSpec }
  | { verb: 'register'; name: string; phone: string; matter: string; account: string; channel: 'window' | 'hotline' };

export type ParsedCommand = CaseCommand | DeskCommand;
export type ParseResult = ParsedCommand | { error: string };

export const isCaseCommand = (c: ParsedCommand): c is CaseCommand => 'number' in c;
