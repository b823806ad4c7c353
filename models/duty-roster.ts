// Who is the hall's duty officer (当日大厅巡导员) at a site on a given day. A dated entry wins over
// the weekly pattern (weekday 1 = Monday … 7 = Sunday).
import { Schema, type Connection, type Model } from 'mongoose';

export interface DutyRosterDoc {
  _id: string; // `${site}:${date}` or `${site}:w${weekday}`
  site: string;
  date?: string; // YYYY-MM-DD, Asia/Shanghai
  weekday?: number;
  staff: string;
}

const schema = new Schema<DutyRosterDoc>(
  {
    _id: { type: String, required: true },
    site: { type: String, required: true },
    date: String,
    weekday: { type: Number, min: 1, max: 7 },
    staff: { type: String, required: true },
  },
  { collection: 'duty_roster', versionKey: false, strictQuery: true },
);

export type DutyRosterModel = Model<DutyRosterDoc>;
export const dutyRosterModel = (conn: Connection): DutyRosterModel =>
  (conn.models.DutyRoster as DutyRosterModel | undefined) ?? conn.model<DutyRosterDoc>('DutyRoster', schema);
