// The case: one document carries everything the registration form (登记表) and the period issue
// list (问题清单表) need, its transfer slips (转办单), its timeline and the messages its last
// changes caused. Keeping all of that in one document is what makes each change a single atomic
// write: neither the embedded store nor a standalone MongoDB offers multi-document transactions.
import { Schema, type Connection, type Model, type Types } from 'mongoose';
import { HANDLING_RECORD_KINDS, RESOLVE_OUTCOMES } from '../machines/case-lifecycle.js';
import { type OutboxEntry, outboxEntrySchema } from './message.js';
import {
  CASE_STATUSES,
  CATEGORIES,
  CHANNELS,
  type CaseStatus,
  type Category,
  type Channel,
  type ChannelIdentity,
  LOCALES,
  type Locale,
  MEASURES,
  type Measure,
  OUT_OF_SCOPE_REASONS,
  type OutOfScopeReason,
  SATISFACTION,
  type Satisfaction,
} from './vocabulary.js';

export interface Attachment {
  kind: 'photo' | 'file';
  /** Channel file reference (Telegram file_id, WeChat file box JSON, console path). */
  ref: string;
  name?: string;
  mime?: string;
  size?: number;
}

export interface Reporter {
  name: string;
  phone: string;
  identity?: ChannelIdentity;
  locale: Locale;
}

export interface Actor {
  kind: 'citizen' | 'staff' | 'unit' | 'system';
  /** Staff id, unit code, or 'reporter' / 'system'. */
  id: string;
  /** Display name for staff views; never the reporter's name. */
  label?: string;
}

/** What a handling record documents: the lifecycle's RECORD kinds plus the citizen's own additions. */
export const HANDLING_KINDS = [...HANDLING_RECORD_KINDS, 'calming', 'supplement', 'window_question', 'window_answer'] as const;
export type HandlingKind = (typeof HANDLING_KINDS)[number];

export interface HandlingRecord {
  at: Date;
  by: Actor;
  kind: HandlingKind;
  text: string;
  missingMaterials?: string[];
  measures?: Measure[];
  attendees?: string[];
  basis?: string;
  attachments?: Attachment[];
  /** Stationed windows (unit codes) this record involves: a meeting's windows, the window asked or answering. */
  windows?: string[];
  /** A question to a stationed window and its answer share this id. */
  questionId?: string;
}

export const OUTCOME_KINDS = RESOLVE_OUTCOMES;
export type OutcomeKind = (typeof RESOLVE_OUTCOMES)[number];

export interface Outcome {
  kind: OutcomeKind;
  text: string;
  /** 处办依据: required when the citizen does not get what they asked for. */
  basis?: string;
  at: Date;
  by: Actor;
}

export interface Reply {
  at: Date;
  by: Actor;
  kind: 'first_feedback' | 'progress' | 'result' | 'rehandling_result';
  text: string;
}

export const TRANSFER_STATES = ['issued', 'acknowledged', 'replied'] as const;
export type TransferState = (typeof TRANSFER_STATES)[number];

/** 转办单 (attachment 3 of the source document). */
export interface TransferSlip {
  _id: Types.ObjectId;
  /** Slip number: case number + '-' + sequence, e.g. 20261124001-1 */
  number: string;
  unit: string;
  /** The unit whose liaisons read, sign for and answer it when `unit` has none of its own (a village's town). */
  readBy?: string;
  via: 'coordination' | 'supervision';
  requestType: string;
  receivedAt: Date;
  transferredAt: Date;
  replyDueAt: Date;
  replyDueProvisional: boolean;
  content: string;
  transferredBy: Actor;
  /** May the unit see who reported? False when the unit is the subject of the complaint. */
  identityShared: boolean;
  state: TransferState;
  acknowledgedAt?: Date;
  acknowledgedBy?: Actor;
  reply?: { text: string; eligible: boolean; basis?: string; at: Date; by: Actor };
  remarks?: string;
}

export interface TransferDraft {
  unit: string;
  content: string;
  /** Whether the unit would see who reported, decided when the draft was previewed. */
  identityShared: boolean;
  /** False for the desk's own proposal; true once staff wrote or edited it. */
  edited: boolean;
  by: Actor;
  at: Date;
}

export interface FollowUp {
  at: Date;
  by: Actor;
  round: number;
  satisfaction: Satisfaction;
  comment?: string;
}

export const DEADLINE_KINDS = ['classify', 'firstFeedback', 'unitReply', 'followUp', 'rehandling'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export interface DeadlineField {
  at: Date;
  provisional: boolean;
  /** When it was met; an open deadline has none. */
  metAt?: Date;
}

export interface TimelineEvent {
  at: Date;
  type: string;
  actor: Actor;
  /** Neutral words for staff views; reporter identity is never written here. */
  text: string;
  /** Whether "check progress" shows it to the reporter (in its citizen wording). */
  public: boolean;
  publicText?: string;
}

export interface CaseDoc {
  _id: Types.ObjectId;
  number: string;
  site: string;
  channel: Channel;
  reporter: Reporter;
  receivedAt: Date;
  acceptedAt: Date;
  acceptanceDeferred: boolean;
  receivedBy?: Actor;
  matter: string;
  account: string;
  attachments: Attachment[];
  /**
   * Before `involvedUnits`: one unit, silently replaced by the next 涉及. Still read (a document
   * written then loads as that one-unit set); never written any more.
   */
  involvedUnit?: string;
  /** The units the case complains about (被反映单位): a set. Added by 涉及; taken out only with a reason. */
  involvedUnits: string[];
  /**
   * Set once staff answered "被反映单位" (units, or explicitly none). Until then every unit is
   * treated as possibly complained about and sees no reporter identity (default deny).
   */
  unitsSettled?: { at: Date; by: Actor } | null;
  /** What the citizen typed for the unit, kept as typed, with the desk's suggested match. */
  unitAsNamed?: { words: string; suggested: string[]; picked?: string | null };
  /** 涉及 taken back: which unit, why, by whom. */
  involvedRemoved?: { unit: string; reason: string; at: Date; by: Actor }[];
  /** The slip being composed: what the unit will read as 诉求内容, previewed by staff before it is sent. */
  transferDraft?: TransferDraft | null;
  /** The intake answer to "what went wrong", kept as the citizen gave it. */
  problem?: string;
  suggestedCategory?: Category | null;
  category?: Category | null;
  agitated: boolean;
  status: CaseStatus;
  outOfScopeReason?: OutOfScopeReason;
  /** The lifecycle machine's context, persisted beside its state (`status`). */
  lifecycle: { category: Category | null; transferred: boolean; rehandlingRounds: number; agitated: boolean; leaderInformed?: boolean };
  assignee?: string;
  handling: HandlingRecord[];
  outcome?: Outcome;
  replies: Reply[];
  transfers: TransferSlip[];
  followUps: FollowUp[];
  deadlines: Partial<Record<DeadlineKind, DeadlineField>>;
  /** The next moment the sweeper must look at this case (a reminder or a deadline); null when never. */
  nextDeadlineAt?: Date | null;
  /** Reminders already written, by key, so each fires once. */
  remindersSent: string[];
  citizenUnreachable?: { at: Date; reason: string };
  timeline: TimelineEvent[];
  outbox: OutboxEntry[];
  /** Set while `outbox` holds entries (earliest first), so the relay finds them through an index. */
  outboxAt?: Date | null;
  /** Idempotency keys of the commands already applied (most recent kept). */
  appliedKeys: string[];
  /** The submitting dialogue's key: a retried submission finds the case it already made. */
  intakeKey?: string;
  closedAt?: Date;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

const actorSchema = new Schema<Actor>(
  { kind: { type: String, required: true }, id: { type: String, required: true }, label: String },
  { _id: false },
);
const attachmentSchema = new Schema<Attachment>(
  {
    kind: { type: String, enum: ['photo', 'file'], required: true },
    ref: { type: String, required: true, maxlength: 2000 },
    name: { type: String, maxlength: 300 },
    mime: { type: String, maxlength: 200 },
    size: Number,
  },
  { _id: false },
);
const deadlineSchema = new Schema<DeadlineField>(
  { at: { type: Date, required: true }, provisional: { type: Boolean, default: false }, metAt: Date },
  { _id: false },
);

const caseSchema = new Schema<CaseDoc>(
  {
    number: { type: String, required: true },
    site: { type: String, required: true },
    channel: { type: String, enum: CHANNELS, required: true },
    reporter: {
      type: new Schema<Reporter>(
        {
          // Limits in UTF-16 units: twice the character limits the services check (an emoji is two units).
          name: { type: String, required: true, maxlength: 80 },
          phone: { type: String, required: true, maxlength: 30 },
          identity: new Schema<ChannelIdentity>(
            { channel: { type: String, enum: CHANNELS, required: true }, id: { type: String, required: true } },
            { _id: false },
          ),
          locale: { type: String, enum: LOCALES, default: 'zh' },
        },
        { _id: false },
      ),
      required: true,
    },
    receivedAt: { type: Date, required: true },
    acceptedAt: { type: Date, required: true },
    acceptanceDeferred: { type: Boolean, default: false },
    receivedBy: actorSchema,
    matter: { type: String, required: true, maxlength: 400 },
    account: { type: String, required: true, maxlength: 20000 },
    attachments: { type: [attachmentSchema], default: [] },
    involvedUnit: String,
    involvedUnits: { type: [String], default: [] },
    unitsSettled: { type: new Schema({ at: { type: Date, required: true }, by: { type: actorSchema, required: true } }, { _id: false }), default: null },
    unitAsNamed: new Schema({ words: { type: String, required: true, maxlength: 800 }, suggested: [String], picked: String }, { _id: false }),
    involvedRemoved: {
      type: [
        new Schema(
          { unit: { type: String, required: true }, reason: { type: String, required: true }, at: { type: Date, required: true }, by: { type: actorSchema, required: true } },
          { _id: false },
        ),
      ],
      default: [],
    },
    transferDraft: {
      type: new Schema(
        {
          unit: { type: String, required: true },
          content: { type: String, required: true, maxlength: 20000 },
          identityShared: { type: Boolean, required: true },
          edited: { type: Boolean, default: false },
          by: { type: actorSchema, required: true },
          at: { type: Date, required: true },
        },
        { _id: false },
      ),
      default: null,
    },
    problem: String,
    suggestedCategory: { type: String, enum: [...CATEGORIES, null] },
    category: { type: String, enum: [...CATEGORIES, null] },
    agitated: { type: Boolean, default: false },
    status: { type: String, enum: CASE_STATUSES, required: true },
    outOfScopeReason: { type: String, enum: OUT_OF_SCOPE_REASONS },
    lifecycle: {
      category: { type: String, enum: [...CATEGORIES, null], default: null },
      transferred: { type: Boolean, default: false },
      rehandlingRounds: { type: Number, default: 0 },
      agitated: { type: Boolean, default: false },
      leaderInformed: { type: Boolean, default: false },
    },
    assignee: String,
    handling: {
      type: [
        new Schema<HandlingRecord>(
          {
            at: { type: Date, required: true },
            by: { type: actorSchema, required: true },
            kind: { type: String, enum: HANDLING_KINDS, required: true },
            text: { type: String, required: true, maxlength: 20000 },
            missingMaterials: [String],
            measures: [{ type: String, enum: MEASURES }],
            attendees: [String],
            basis: String,
            attachments: [attachmentSchema],
            windows: { type: [String], default: undefined },
            questionId: String,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    outcome: new Schema<Outcome>(
      {
        kind: { type: String, enum: OUTCOME_KINDS, required: true },
        text: { type: String, required: true },
        basis: String,
        at: { type: Date, required: true },
        by: { type: actorSchema, required: true },
      },
      { _id: false },
    ),
    replies: {
      type: [
        new Schema<Reply>(
          {
            at: { type: Date, required: true },
            by: { type: actorSchema, required: true },
            kind: { type: String, required: true },
            text: { type: String, required: true },
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    transfers: {
      type: [
        new Schema<TransferSlip>({
          number: { type: String, required: true },
          unit: { type: String, required: true },
          via: { type: String, enum: ['coordination', 'supervision'], required: true },
          requestType: { type: String, required: true },
          receivedAt: { type: Date, required: true },
          transferredAt: { type: Date, required: true },
          replyDueAt: { type: Date, required: true },
          replyDueProvisional: { type: Boolean, default: false },
          content: { type: String, required: true },
          readBy: String,
          transferredBy: { type: actorSchema, required: true },
          identityShared: { type: Boolean, required: true },
          state: { type: String, enum: TRANSFER_STATES, required: true },
          acknowledgedAt: Date,
          acknowledgedBy: actorSchema,
          reply: new Schema(
            {
              text: { type: String, required: true },
              eligible: { type: Boolean, required: true },
              basis: String,
              at: { type: Date, required: true },
              by: { type: actorSchema, required: true },
            },
            { _id: false },
          ),
          remarks: String,
        }),
      ],
      default: [],
    },
    followUps: {
      type: [
        new Schema<FollowUp>(
          {
            at: { type: Date, required: true },
            by: { type: actorSchema, required: true },
            round: { type: Number, required: true },
            satisfaction: { type: String, enum: SATISFACTION, required: true },
            comment: String,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    deadlines: {
      classify: deadlineSchema,
      firstFeedback: deadlineSchema,
      unitReply: deadlineSchema,
      followUp: deadlineSchema,
      rehandling: deadlineSchema,
    },
    nextDeadlineAt: { type: Date, default: null },
    remindersSent: { type: [String], default: [] },
    citizenUnreachable: new Schema({ at: Date, reason: String }, { _id: false }),
    timeline: {
      type: [
        new Schema<TimelineEvent>(
          {
            at: { type: Date, required: true },
            type: { type: String, required: true },
            actor: { type: actorSchema, required: true },
            text: { type: String, required: true },
            public: { type: Boolean, default: false },
            publicText: String,
          },
          { _id: false },
        ),
      ],
      default: [],
    },
    outbox: { type: [outboxEntrySchema], default: [] },
    outboxAt: { type: Date, default: null },
    appliedKeys: { type: [String], default: [] },
    intakeKey: String,
    closedAt: Date,
    version: { type: Number, required: true, default: 1 },
  },
  { collection: 'cases', timestamps: true, versionKey: false, minimize: false, strictQuery: true },
);

caseSchema.index({ number: 1 }, { unique: true });
caseSchema.index({ intakeKey: 1 }, { unique: true, partialFilterExpression: { intakeKey: { $type: 'string' } } });
caseSchema.index({ site: 1, status: 1, acceptedAt: -1 });
caseSchema.index({ status: 1, nextDeadlineAt: 1 });
caseSchema.index({ nextDeadlineAt: 1 });
caseSchema.index({ assignee: 1, status: 1 });
caseSchema.index({ category: 1, status: 1 });
caseSchema.index({ 'reporter.identity.channel': 1, 'reporter.identity.id': 1, acceptedAt: -1 });
caseSchema.index({ 'transfers.unit': 1, status: 1 });
caseSchema.index({ involvedUnits: 1, status: 1 });
caseSchema.index({ outboxAt: 1 });

export type CaseModel = Model<CaseDoc>;
export const caseModel = (conn: Connection): CaseModel =>
  (conn.models.Case as CaseModel | undefined) ?? conn.model<CaseDoc>('Case', caseSchema);

