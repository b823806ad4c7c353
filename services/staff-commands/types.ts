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
