// Turns "who should hear about this" into concrete addresses, and collects the messages one case
// change causes so the change and its messages go into a single atomic write.
import type { Address, Audience, OutboxEntry } from '../models/message.js';
import type { Sayable } from '../models/sayable.js';
import type { StaffDoc } from '../models/staff.js';
import type { Directory } from './directory/index.js';

export type Target =
  | { kind: 'staffRoom'; site: string }
  | { kind: 'staff'; staff: StaffDoc | string }
  | { kind: 'unit'; unit: string }
  | { kind: 'reporter'; identity?: { channel: Address['channel']; id: string } };

/** The first identity of a person is where the bots reach them directly. */
const personalAddress = (s: StaffDoc): Address | null => (s.identities[0] ? { ...s.identities[0] } : null);

export async function resolveTarget(directory: Directory, target: Target): Promise<{ audience: Audience; to: Address }[]> {
  switch (target.kind) {
    case 'staffRoom': {
      const site = await directory.site(target.site);
      return site.staffRooms.map((r) => ({ audience: 'staff' as const, to: { channel: r.channel, id: r.id } }));
    }
    case 'staff': {
      const s = typeof target.staff === 'string' ? await directory.staff(target.staff) : target.staff;
      const a = personalAddress(s);
      return a ? [{ audience: 'staff', to: a }] : [];
    }
    case 'unit': {
      let unit = await directory.unit(target.unit);
      // A village/community without its own liaison is reached through its town/street's.
      if (!unit.liaisons.length && unit.parent) unit = await directory.unit(unit.parent);
      const out: { audience: Audience; to: Address }[] = [];
      for (const id of unit.liaisons) {
        const a = personalAddress(await directory.staff(id));
        if (a) out.push({ audience: 'unit', to: a });
      }
      return out;
    }
    case 'reporter':
      return target.identity ? [{ audience: 'citizen', to: { channel: target.identity.channel, id: target.identity.id } }] : [];
  }
}

/**
 * Collects the outbox entries of one change. Ids are `${scope}:${n}` where scope names the change
 * (case id + the version it creates), so replaying the same change yields the same ids.
 */
export class OutboxBatch {
  readonly entries: OutboxEntry[] = [];
  #n = 0;
  constructor(
    private readonly directory: Directory,
    private readonly scope: string,
    private readonly base: { site: string; caseId?: string; caseNumber?: string; createdAt: Date },
  ) {}

  async add(target: Target, sayable: Sayable, opts: { reason: string; reply?: boolean; notBefore?: Date }): Promise<number> {
    const addresses = await resolveTarget(this.directory, target);
    const seen = new Set(this.entries.map((e) => `${e.to.channel}|${e.to.id}|${e.reason}`));
    for (const { audience, to } of addresses) {
      const k = `${to.channel}|${to.id}|${opts.reason}`;
      if (seen.has(k)) continue; // one person holding two roles hears it once
      seen.add(k);
      this.entries.push({
        _id: `${this.scope}:${++this.#n}`,
        audience,
        to,
        ...this.base,
        sayable,
        reason: opts.reason,
        ...(opts.reply ? { reply: true } : {}),
        ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      });
    }
    return addresses.length;
  }
}
