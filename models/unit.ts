// Sections of the center, stationed windows, departments and towns/streets not stationed here,
// and the citizen service center (市便民服务中心) that takes hotline work orders.
import { Schema, type Connection, type Model } from 'mongoose';
import { UNIT_KINDS, type UnitKind } from './vocabulary.js';

export interface UnitDoc {
  _id: string; // unit code, e.g. 'rsj' (人社局)
  site: string;
  name: string;
  kind: UnitKind;
  stationed: boolean;
  /** Staff ids of the unit's liaisons (联络员); they receive its transfer slips. */
  liaisons: string[];
  /** Matters the unit handles, to help staff pick the right unit for a transfer. */
  matters: string[];
  /** What citizens call the unit besides its name (教委, 住建局, 12345). */
  aliases?: string[];
  /** The site this town/street runs its own 办不成事 window at, when it has one. */
  ownSite?: string;
  /** The town/street a village/community (村、社区) belongs to; its slips go through that unit's liaisons. */
  parent?: string;
  /** Working days the unit has to reply to a slip; default 3 (the source's rule for departments and towns). */
  replyWorkingDays?: number;
}

const schema = new Schema<UnitDoc>(
  {
    _id: { type: String, required: true },
    site: { type: String, required: true },
    name: { type: String, required: true },
    kind: { type: String, enum: UNIT_KINDS, required: true },
    stationed: { type: Boolean, required: true },
    liaisons: { type: [String], default: [] },
    matters: { type: [String], default: [] },
    aliases: { type: [String], default: [] },
    ownSite: String,
    parent: String,
    replyWorkingDays: Number,
  },
  { collection: 'units', versionKey: false, strictQuery: true },
);
schema.index({ site: 1, kind: 1 });

export type UnitModel = Model<UnitDoc>;
export const unitModel = (conn: Connection): UnitModel =>
  (conn.models.Unit as UnitModel | undefined) ?? conn.model<UnitDoc>('Unit', schema);
