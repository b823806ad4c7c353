import { Schema, type Connection, type Model } from 'mongoose';
import { CHANNELS, type ChannelIdentity, ROLES, type Role } from './vocabulary.js';

export interface StaffDoc {
  _id: string; // staff id, e.g. 'zhangmin'
  name: string;
  site: string;
  roles: Role[];
  /** The unit a liaison (or a stationed window's clerk) belongs to. */
  unit?: string;
  /** How the bots recognise this person: Telegram user id, WeChat contact id, console name. */
  identities: ChannelIdentity[];
  active: boolean;
  /**
   * The stationed window whose counter this person sits at (the 办不成事 clerk at 166 sits at the
   * 市场准入 window): a complaint about that window is a complaint about their neighbours.
   */
  seatedAt?: string;
}

const schema = new Schema<StaffDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    site: { type: String, required: true },
    roles: { type: [{ type: String, enum: ROLES }], required: true },
    unit: String,
    identities: [
      new Schema({ channel: { type: String, enum: CHANNELS, required: true }, id: { type: String, required: true } }, { _id: false }),
    ],
    active: { type: Boolean, default: true },
    seatedAt: String,
  },
  { collection: 'staff', versionKey: false, strictQuery: true },
);
schema.index({ 'identities.channel': 1, 'identities.id': 1 });
schema.index({ site: 1, roles: 1 });

export type StaffModel = Model<StaffDoc>;
export const staffModel = (conn: Connection): StaffModel =>
  (conn.models.Staff as StaffModel | undefined) ?? conn.model<StaffDoc>('Staff', schema);
