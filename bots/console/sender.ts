// Delivery to the terminal: what the dispatcher sends to console addresses is printed with a
// label saying who it was for — the citizen, the staff room, or one staff member.
import type { Address } from '../../models/message.js';
import type { Choice, Sayable } from '../../models/sayable.js';
import type { Sender } from '../../services/delivery/index.js';
import { consoleZh } from '../../services/locales/zh/console.js';
import { type FileSayable, labelled, renderSayable } from './render.js';

export interface ConsoleAddressBook {
  /** The console citizen's id (their chat). */
  citizenId: string;
  /** Staff rooms on the console, by id → site name. */
  rooms: Map<string, string>;
  /** Staff on the console, by id → name. */
  staff: Map<string, string>;
}

/** Who is who on the console: the sites' console staff rooms and every active staff member. */
export function consoleAddressBook(
  citizenId: string,
  sites: { name: string; staffRooms: { channel: string; id: string }[] }[],
  staff: { _id: string; name: string }[],
): ConsoleAddressBook {
  const rooms = new Map<string, string>();
  for (const s of sites) for (const r of s.staffRooms) if (r.channel === 'console') rooms.set(r.id, s.name);
  return { citizenId, rooms, staff: new Map(staff.map((s) => [s._id, s.name])) };
}

export function labelFor(book: ConsoleAddressBook, to: Address): string {
  if (to.id === book.citizenId) return consoleZh.toCitizen;
  const room = book.rooms.get(to.id);
  if (room) return consoleZh.toRoom(room);
  return consoleZh.toStaff(book.staff.get(to.id) ?? to.id);
}

export function createConsoleSender(
  book: ConsoleAddressBook,
  print: (text: string) => void,
  /** A menu pushed to the citizen: remembered so that typing its number answers it. */
  onCitizenMenu: (choices: Choice[]) => Promise<void>,
  saveFile?: (f: FileSayable) => string,
): Sender {
  let n = 0;
  return {
    channel: 'console',
    async send(to: Address, message: Sayable) {
      if (message.kind === 'choices' && to.id === book.citizenId) await onCitizenMenu(message.choices);
      print(labelled(labelFor(book, to), renderSayable(message, saveFile)));
      return { ok: true, channelMessageId: String(++n) };
    },
  };
}
