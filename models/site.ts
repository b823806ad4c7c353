// A site runs its own window: city center, sub-centers, towns/streets (the source's three levels).
import { Schema, type Connection, type Model } from 'mongoose';
import { CHANNELS, type Channel } from './vocabulary.js';

export interface SiteDoc {
  _id: string; // site code, e.g. 'city'
  name: string;
  level: 'city' | 'sub_center' | 'town_street';
  /** Optional prefix of case numbers at this site, e.g. 'HX' → HX20261124001. */
  numberPrefix: string;
  /** Where staff of this site are told things: console, Telegram staff group, WeChat staff room. */
  staffRooms: { channel: Channel; id: string }[];
  /** Who gets the duty officer's notices when the roster has nobody for the day. */
  fallbackDutyOfficer?: string;
  /** Where the 办不成事 window is, for citizens who must come in person (二楼市场准入166号综合窗口). */
  windowLocation?: string;
}

const schema = new Schema<SiteDoc>(
  {
    _id: { type: String, required: true },
    name: { type: String, required: true },
    level: { type: String, enum: ['city', 'sub_center', 'town_street'], required: true },
    numberPrefix: { type: String, default: '' },
    staffRooms: [
      new Schema({ channel: { type: String, enum: CHANNELS, required: true }, id: { type: String, required: true } }, { _id: false }),
    ],
    fallbackDutyOfficer: String,
    windowLocation: String,
  },
  { collection: 'sites', versionKey: false, strictQuery: true },
);

export type SiteModel = Model<SiteDoc>;
export const siteModel = (conn: Connection): SiteModel =>
  (conn.models.Site as SiteModel | undefined) ?? conn.model<SiteDoc>('Site', schema);
