// Who did what, when. Case actions write their entry into the case's outbox-like `audit` stream
// through the relay (same atomicity as messages); reads of full reporter identity write directly.
import { Schema, type Connection, type Model } from 'mongoose';

export interface AuditDoc {
  _id: string; // deterministic, so a relayed entry copied twice is one entry
  at: Date;
  actor: { kind: string; id: string };
  action: string;
  caseId?: string;
  caseNumber?: string;
  site?: string;
  /** Never reporter identity: what was done, not what was seen. */
  detail?: Record<string, unknown>;
}

const schema = new Schema<AuditDoc>(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
    actor: { kind: { type: String, required: true }, id: { type: String, required: true } },
    action: { type: String, required: true },
    caseId: String,
    caseNumber: String,
    site: String,
    detail: Schema.Types.Mixed,
  },
  { collection: 'audit', versionKey: false, strictQuery: true },
);
schema.index({ caseId: 1, at: 1 });
schema.index({ 'actor.id': 1, at: -1 });

export type AuditModel = Model<AuditDoc>;
export const auditModel = (conn: Connection): AuditModel =>
  (conn.models.Audit as AuditModel | undefined) ?? conn.model<AuditDoc>('Audit', schema);
