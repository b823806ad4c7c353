// Turns "who should hear about this" into concrete addresses, and collects the messages one case
// change causes so the change and its messages go into a single atomic write.
import type { CaseDoc } from '../models/case.js';
import type { Address, Audience, OutboxEntry } from '../models/message.js';
import type { Sayable } from '../models/sayable.js';
import type { StaffDoc } from '../models/staff.js';
import type { Directory } from './directory/index.js';
import { type Recipient, guardOutgoing } from './privacy.js';

export type Target =
  | { kind: 'staffRoom'; site: string }
  | { kind: 'staff'; staff: StaffDoc | string }
  | { kind: 'unit'; unit: string }
  | { kind: 'reporter'; identity?: { channel: Address['channel']; id: string } };

/** The first identity of a person is where the bots reach them directly. */
const personalAddress = (s: StaffDoc): Address | null => (s.identities[0] ? { ...s.identities[0] } : null);

export interface Resolved {
  audience: Audience;
  to: Address;
  /** Who reads it, for the privacy gate. */
  recipient: Recipient;
}

export async function resolveTarget(directory: Directory, target: Target): Promise<Resolved[]> {
  switch (target.kind) {
    case 'staffRoom': {
      const site = await directory.site(target.site);
      return site.staffRooms.map((r) => ({ audience: 'staff' as const, to: { channel: r.channel, id: r.id }, recipient: { kind: 'staffRoom' as const } }));
    }
    case 'staff': {
      const s = typeof target.staff === 'string' ? await directory.staff(target.staff) : target.staff;
      // Someone removed from the directory hears nothing more about cases.
      if (s.active === false) return [];
      const a = personalAddress(s);
      return a ? [{ audience: 'staff', to: a, recipient: { kind: 'staff', staff: s } }] : [];
    }
    case 'unit': {
      let unit = await directory.unit(target.unit);
      // A village/community without its own liaison is reached through its town/street's.
      if (!unit.liaisons.length && unit.parent) unit = await directory.unit(unit.parent);
      const out: Resolved[] = [];
      for (const id of unit.liaisons) {
        const s = await directory.staff(id);
        if (s.active === false) continue;
        const a = personalAddress(s);
        if (a) out.push({ audience: 'unit', to: a, recipient: { kind: 'unit', unit: unit._id } });
      }
      return out;
    }
    case 'reporter':
      return target.identity
        ? [{ audience: 'citizen', to: { channel: target.identity.channel, id: target.identity.id }, recipient: { kind: 'reporter' } }]
        : [];
  }
}

/**
 * Collects the outbox entries of one change. Ids are `${scope}:${n}` where scope names the change
 * (case id + the version it creates), so replaying the same change yields the same ids.
 */
export class OutboxBatch {
  readonly entries: OutboxEntry[] = [];
  /** Who reads each entry, kept beside it for the privacy gate. */
  readonly #recipients: Recipient[] = [];
  #n = 0;
  constructor(
    private readonly directory: Directory,
    private readonly scope: string,
    private readonly base: { site: string; caseId?: string; caseNumber?: string; createdAt: Date },
    /** The case the messages are about, when it will not change with them (a reminder): each entry is gated as it is added. */
    private readonly doc?: CaseDoc,
  ) {}

  async add(target: Target, sayable: Sayable, opts: { reason: string; reply?: boolean; notBefore?: Date }): Promise<number> {
    const addresses = await resolveTarget(this.directory, target);
    const seen = new Set(this.entries.map((e) => `${e.to.channel}|${e.to.id}|${e.reason}`));
    for (const { audience, to, recipient } of addresses) {
      const k = `${to.channel}|${to.id}|${opts.reason}`;
      if (seen.has(k)) continue; // one person holding two roles hears it once
      seen.add(k);
      this.entries.push({
        _id: `${this.scope}:${++this.#n}`,
        audience,
        to,
        ...this.base,
        sayable: this.doc ? guardOutgoing(this.doc, recipient, sayable) : sayable,
        reason: opts.reason,
        ...(opts.reply ? { reply: true } : {}),
        ...(opts.notBefore ? { notBefore: opts.notBefore } : {}),
      });
      this.#recipients.push(recipient);
    }
    return addresses.length;
  }

  /**
   * Passes every entry through the privacy gate for the case as the change leaves it (a slip just
   * issued, a unit just added to 涉及): the change's own messages obey the rule it sets.
   */
  gate(doc: CaseDoc): void {
    this.entries.forEach((e, i) => {
      e.sayable = guardOutgoing(doc, this.#recipients[i], e.sayable);
    });
  }
}
