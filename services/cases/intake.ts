// 受理: registering a report from any channel, or from a window clerk / hotline entry on the
// reporter's behalf. Out-of-scope matters (涉法、涉诉、涉访、与政策法规不符) are never registered:
// the caller gets the guidance text to give the citizen.
import { Types, mongo } from 'mongoose';
import { z } from 'zod';
import { registeredCase } from '../../machines/case-lifecycle.js';
import { detectAgitation, detectOutOfScope } from '../../machines/intake/screening.js';
import { authorize } from '../../machines/permissions.js';
import type { CaseDoc, TimelineEvent } from '../../models/case.js';
import { CLASSIFY_OFFICE_HOURS, nextAttentionAt } from '../deadlines/index.js';
import { LIMITS, characterCount, meaningfulCount, normalizeName, normalizePhone } from '../../models/validation.js';
import {
  CATEGORIES,
  CHANNELS,
  type Category,
  LOCALES,
  OUT_OF_SCOPE_REASONS,
  type OutOfScopeReason,
} from '../../models/vocabulary.js';
import { formatZhDateTime } from '../calendar/index.js';
import { memoDirectory } from '../directory/index.js';
import { InvalidInputError } from '../errors.js';
import { CATEGORY_ZH, OUT_OF_SCOPE_GUIDANCE_ZH, staffZh } from '../locales/zh/cases.js';
import { CHANNEL_ZH } from '../locales/zh/reminders.js';
import { redactFor } from '../privacy.js';
import { OutboxBatch } from '../recipients.js';
import { writeAudit } from './change.js';
import type { CaseDeps } from './deps.js';
import { FOLLOW_UP_WORKING_DAYS } from './feedback.js';
import { nextCaseNumber } from './numbering.js';
import { type Performer, actorOf } from './performer.js';
import { batchesOf } from './store-batches.js';


// Counted as people count: an emoji is one character, and only letters and digits make the minimum.
const text = (field: string, label: string, min: number, max: number) =>
  z
    .string({ message: `请填写${label}。` })
    .transform((s) => s.normalize('NFC').trim())
    .refine((s) => (min <= 1 ? characterCount(s) >= 1 : meaningfulCount(s) >= min), {
      message: min <= 1 ? `请填写${label}。` : `${label}至少 ${min} 个字（表情和符号不算）。`,
    })
    .refine((s) => characterCount(s) <= max, { message: `${label}最多 ${max} 个字，请精简或分条补充。` })
    .describe(field);

const intakeSchema = z.object({
  site: z.string().max(32).optional(),
  channel: z.enum(CHANNELS, { message: '渠道无效。' }),
  reporter: z.object({
    name: z.string({ message: '请填写反映人姓名。' }),
    phone: z.string({ message: '请填写联系电话。' }),
    identity: z.object({ channel: z.enum(CHANNELS), id: z.string().min(1).max(200) }).optional(),
    locale: z.enum(LOCALES).default('zh'),
  }),
  matter: text('matter', '办理事项', 1, LIMITS.matterMax),
  account: text('account', '问题描述', LIMITS.accountMin, LIMITS.accountMax),
  attachments: z
    .array(
      z.object({
        kind: z.enum(['photo', 'file']),
        ref: z.string().min(1).max(2000),
        name: z.string().max(300).optional(),
        mime: z.string().max(200).optional(),
        size: z.number().nonnegative().optional(),
      }),
    )
    .max(LIMITS.attachmentsMax, { message: `附件最多 ${LIMITS.attachmentsMax} 个。` })
    .default([]),
  /** A unit the report is about (a directory code); `involvedUnits` for several. */
  involvedUnit: z.string().max(40).optional(),
  involvedUnits: z.array(z.string().max(40)).max(20).optional(),
  /** What the citizen typed for the unit, and the units the desk took it to mean. */
  unitAsNamed: z
    .object({ words: z.string().max(400), suggested: z.array(z.string().max(40)).max(10), picked: z.string().max(40).nullable().optional() })
    .optional(),
  problem: z.string().max(40).optional(),
  suggestedCategory: z.enum(CATEGORIES).nullable().optional(),
  agitated: z.boolean().default(false),
  /** The citizen or clerk has said the matter is out of scope. */
  outOfScope: z.enum(OUT_OF_SCOPE_REASONS).optional(),
  receivedAt: z.date().optional(),
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type IntakeInput = z.input<typeof intakeSchema>;

export type IntakeResult =
  | {
      registered: true;
      case: CaseDoc;
      number: string;
      acceptedAt: Date;
      /** Arrived outside office hours: the clock starts at `acceptedAt`; tell the citizen. */
      deferred: boolean;
      firstFeedbackBy: Date;
      /** Words that may mean the matter is out of scope; the duty officer is asked to check. */
      scopeWarning?: OutOfScopeReason;
      duplicate: boolean;
    }
  | { registered: false; reason: OutOfScopeReason; guidance: string };

export function parseIntake(input: IntakeInput) {
  const parsed = intakeSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidInputError(String(issue.path.join('.') || 'input'), issue.message);
  }
  const v = parsed.data;
  const name = normalizeName(v.reporter.name);
  if (!name) throw new InvalidInputError('reporter.name', `姓名须为 1–${LIMITS.nameMax} 个字且含文字，不能是电话号码，也不能只是表情或符号。`);
  const phone = normalizePhone(v.reporter.phone);
  if (!phone)
    throw new InvalidInputError('reporter.phone', '联系电话格式不对：请填写 11 位手机号，或带区号的固定电话（如 0512-52345678）。');
  return { ...v, reporter: { ...v.reporter, name, phone } };
}

export const outOfScopeGuidance = (reason: OutOfScopeReason): string => OUT_OF_SCOPE_GUIDANCE_ZH[reason];

export async function registerCase(deps: CaseDeps, input: IntakeInput, performer: Performer): Promise<IntakeResult> {
  const v = parseIntake(input);
  if (performer.kind === 'staff') authorize(performer.staff.roles, 'register');
  if (v.outOfScope) return { registered: false, reason: v.outOfScope, guidance: outOfScopeGuidance(v.outOfScope) };

  const { models, calendar, clock } = deps;
  // The site is read again for each staff-room message: once is enough for one intake.
  const directory = memoDirectory(deps.directory, calendar.localDate);
  const batches = batchesOf(deps);
  if (v.idempotencyKey) {
    const existing = await batches.existingIntake(v.idempotencyKey);
    if (existing) return registeredResult(existing, true);
  }
  const siteCode = v.site ?? (performer.kind === 'staff' ? performer.staff.site : undefined);
  if (!siteCode) throw new InvalidInputError('site', '请指定受理站点。');
  const site = await directory.site(siteCode);
  const involvedUnits = [...new Set([...(v.involvedUnits ?? []), ...(v.involvedUnit ? [v.involvedUnit] : [])])];
  for (const u of involvedUnits) await directory.unit(u);
  const nameOf = (u: string, withCode: boolean) => directory.unit(u).then((x) => (withCode ? `${x.name}（${x._id}）` : x.name), () => u);
  const suggestedNames = v.unitAsNamed ? await Promise.all(v.unitAsNamed.suggested.map((u) => nameOf(u, true))) : [];
  const picked = v.unitAsNamed?.picked === undefined ? undefined : v.unitAsNamed.picked === null ? null : await nameOf(v.unitAsNamed.picked, false);

  const now = clock.now();
  const receivedAt = v.receivedAt ?? now;
  const acceptance = calendar.acceptanceStart(receivedAt);
  const number = await nextCaseNumber(batches, site._id, site.numberPrefix, calendar.localDate(receivedAt));
  const firstFeedback = calendar.sameDayClose(acceptance.at);
  const classifyBy = calendar.addOfficeHours(acceptance.at, CLASSIFY_OFFICE_HOURS);
  // 在 5 个工作日内进行跟踪回访: for a case handled at the center the clock runs from acceptance;
  // a transfer slip re-anchors it on the unit's result (transfers.ts).
  const followUp = calendar.addWorkingDays(acceptance.at, FOLLOW_UP_WORKING_DAYS);
  // Each deadline is provisional over its own span: acceptance on 12-31 may be exact while the
  // classify hour it leads to falls on a day of a year whose 调休 is not out yet.
  const provisional = (at: Date) => calendar.missingYears(receivedAt, at).length > 0;

  const scopeHit = detectOutOfScope(`${v.matter}\n${v.account}`);
  const agitated = v.agitated || Boolean(detectAgitation(v.account));
  const actor = actorOf(performer);
  const timeline: TimelineEvent[] = [
    {
      at: now,
      type: 'registered',
      actor,
      text: `登记受理（${CHANNEL_ZH[v.channel]}）${acceptance.deferred ? `，非工作时间提交，${formatZhDateTime(acceptance.at)} 起计时` : ''}`,
      public: true,
      publicText: acceptance.deferred ? `已登记，${formatZhDateTime(acceptance.at)} 正式受理` : '已受理',
    },
  ];
  if (scopeHit)
    timeline.push({ at: now, type: 'scope_warning', actor: { kind: 'system', id: 'system' }, text: `可能不属受理范围（${scopeHit.terms.join('、')}），请巡导员核实`, public: false });
  if (agitated)
    timeline.push({ at: now, type: 'agitated', actor, text: '诉求人情绪激动，效能督查科先行疏导', public: false });

  // The case id is chosen here so the messages' ids can name it before the insert.
  const _id = new Types.ObjectId();
  const batch = new OutboxBatch(directory, `${_id}:1`, { site: site._id, caseId: String(_id), caseNumber: number, createdAt: now });
  const duty = await directory.dutyOfficer(site._id, acceptance.at);
  // The case does not exist yet; the privacy rule needs only who reported and what about.
  const forStaff = (t: string) =>
    redactFor({ reporter: v.reporter, involvedUnits: [], category: null, transfers: [] } as unknown as CaseDoc, { kind: 'public' }, t);
  const newCase = forStaff(
    staffZh.newCase({
      number,
      site: site.name,
      matter: v.matter,
      channel: CHANNEL_ZH[v.channel],
      suggested: v.suggestedCategory ? CATEGORY_ZH[v.suggestedCategory as Category] : '未选择',
      duty: duty ? duty.staff.name : '（无）',
      deferred: acceptance.deferred ? formatZhDateTime(acceptance.at) : undefined,
      agitated,
    }) + staffZh.unitAsked({ number, words: v.unitAsNamed?.words, suggested: suggestedNames, picked }),
  );
  await batch.add({ kind: 'staffRoom', site: site._id }, { kind: 'text', text: newCase }, { reason: 'case.registered' });
  // The room hears at once; the duty officer is not woken at night for a case accepted at the next opening.
  if (duty)
    await batch.add({ kind: 'staff', staff: duty.staff }, { kind: 'text', text: newCase }, {
      reason: 'case.duty_officer',
      ...(acceptance.deferred ? { notBefore: acceptance.at } : {}),
    });
  else await batch.add({ kind: 'staffRoom', site: site._id }, { kind: 'text', text: staffZh.noDutyOfficer({ number }) }, { reason: 'case.no_duty_officer' });
  if (agitated) {
    for (const s of await directory.staffWithRole(site._id, 'supervision'))
      await batch.add({ kind: 'staff', staff: s }, { kind: 'text', text: staffZh.agitated({ number }) }, { reason: 'case.agitated' });
  }

  const lifecycle = registeredCase();
  const deadlines = {
    classify: { at: classifyBy, provisional: provisional(classifyBy) },
    firstFeedback: { at: firstFeedback, provisional: provisional(firstFeedback) },
    followUp: { at: followUp.at, provisional: provisional(followUp.at) },
  };
  const doc = {
    _id,
    number,
    site: site._id,
    channel: v.channel,
    reporter: v.reporter,
    receivedAt,
    acceptedAt: acceptance.at,
    acceptanceDeferred: acceptance.deferred,
    receivedBy: performer.kind === 'staff' ? actor : undefined,
    matter: v.matter,
    account: v.account,
    attachments: v.attachments,
    involvedUnits,
    unitsSettled: null,
    ...(v.unitAsNamed ? { unitAsNamed: v.unitAsNamed } : {}),
    problem: v.problem,
    suggestedCategory: v.suggestedCategory ?? null,
    category: null,
    agitated,
    status: lifecycle.status,
    lifecycle: { ...lifecycle.context, agitated },
    handling: [],
    replies: [],
    transfers: [],
    followUps: [],
    deadlines,
    nextDeadlineAt: null as Date | null,
    remindersSent: [],
    timeline,
    outbox: batch.entries,
    outboxAt: batch.entries.length ? now : null,
    appliedKeys: [],
    intakeKey: v.idempotencyKey,
    version: 1,
  };
  doc.nextDeadlineAt = nextAttentionAt(doc as unknown as CaseDoc, now, calendar);
  batch.gate(doc as unknown as CaseDoc);
  // Cast, validated and stamped as Case.create would, then inserted with the other intakes of
  // this moment (store-batches.ts).
  const created = new models.Case(doc);
  await created.validate();
  (created as unknown as { initializeTimestamps(): void }).initializeTimestamps();
  const raw = created.toBSON();
  try {
    await batches.insertCase(raw);
  } catch (e) {
    // Two submissions of one draft raced: the other one registered it.
    if ((e as { code?: number }).code === 11000 && v.idempotencyKey) {
      const existing = await batches.existingIntake(v.idempotencyKey);
      if (existing) return registeredResult(existing, true);
    }
    throw e;
  }
  if (batch.entries.length) deps.onOutbox?.(String(_id));
  await writeAudit(deps, {
    _id: `${_id}:1`,
    at: now,
    actor: { kind: actor.kind, id: actor.id },
    action: 'REGISTER',
    caseId: String(_id),
    caseNumber: number,
    site: site._id,
    detail: { channel: v.channel },
  });
  // The case as registered, in the shape a read returns; reading it back cost a round trip and
  // could only add what the dispatcher changed since.
  const saved = mongo.BSON.deserialize(mongo.BSON.serialize(Object.assign({ _id }, raw))) as CaseDoc;
  return { ...registeredResult(saved, false), ...(scopeHit ? { scopeWarning: scopeHit.reason } : {}) };
}

function registeredResult(doc: CaseDoc, duplicate: boolean): IntakeResult {
  return {
    registered: true,
    case: doc,
    number: doc.number,
    acceptedAt: doc.acceptedAt,
    deferred: doc.acceptanceDeferred,
    firstFeedbackBy: doc.deadlines.firstFeedback?.at ?? doc.acceptedAt,
    duplicate,
  };
}
