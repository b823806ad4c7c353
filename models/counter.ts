// Daily sequences for case numbers: one document per (site, day), incremented atomically.
import { Schema, type Connection, type Model } from 'mongoose';

export interface CounterDoc {
  _id: string; // e.g. 'case:city:20261124'
  seq: number;
}

const schema = new Schema<CounterDoc>(
  { _id: { type: String, required: true }, seq: { type: Number, required: true, default: 0 } },
  { collection: 'counters', versionKey: false, strictQuery: true },
);

export type CounterModel = Model<CounterDoc>;
export const counterModel = (conn: Connection): CounterModel =>
  (conn.models.Counter as CounterModel | undefined) ?? conn.model<CounterDoc>('Counter', schema);
