// Reading and writing a chat's dialogue, as the two halves of a turn. The snapshot is a
// versioned value: openTurn reads it (with the "known" marker) while taking the chat's token
// and lock, closeTurn writes it only if its version is unchanged and the lock is still ours,
// and releases the lock. So a process whose lease ran out mid-turn can never overwrite a newer
// turn, and the common path costs two round trips.
import { IntakeSnapshotError } from '../../machines/intake/index.js';
import type { ChannelIdentity, Locale } from '../../models/vocabulary.js';
import { LOCALES } from '../../models/vocabulary.js';
import type { CloseTurnWrite, Coordination, Versioned } from '../coordination/index.js';
import type { Logger } from '../logger.js';
import { type Dialogue, decodeDialogue, encodeDialogue, newDialogue } from './dialogue.js';
import { conversationKeys } from './keys.js';

export type Loaded =
  | { kind: 'live'; dialogue: Dialogue; version: number }
  /** First contact, or so long ago that even the marker is gone. */
  | { kind: 'new'; dialogue: Dialogue; version: number }
  /** The chat had a dialogue that expired or cannot be resumed: tell the citizen, start over. */
  | { kind: 'expired'; dialogue: Dialogue; version: number };

export interface DialogueStoreOptions {
  coordination: Coordination;
  logger: Logger;
  snapshotTtlMs: number;
  knownTtlMs: number;
}

const asLocale = (s: string | null | undefined): Locale | undefined => (LOCALES as readonly string[]).includes(s ?? '') ? (s as Locale) : undefined;

export function createDialogueStore({ coordination, logger, snapshotTtlMs, knownTtlMs }: DialogueStoreOptions) {
  return {
    /** The dialogue from what openTurn read: the stored snapshot, and the marker when there is none. */
    loaded(who: ChannelIdentity, stored: Versioned | null, known: string | null, preferred?: Locale): Loaded {
      if (stored) {
        try {
          return { kind: 'live', dialogue: decodeDialogue(stored.value), version: stored.version };
        } catch (e) {
          if (!(e instanceof IntakeSnapshotError)) throw e;
          logger.warn({ chat: conversationKeys(who).conversation, err: e.message }, 'stored dialogue cannot be resumed; starting over');
          return { kind: 'expired', dialogue: newDialogue(preferred ?? 'zh'), version: stored.version };
        }
      }
      const locale = preferred ?? asLocale(known) ?? 'zh';
      return { kind: known === null ? 'new' : 'expired', dialogue: newDialogue(locale), version: 0 };
    },

    /** Unlocked read of the chat's language, for answers given without taking the lock. */
    async locale(who: ChannelIdentity): Promise<Locale> {
      const keys = conversationKeys(who);
      const stored = await coordination.getVersioned(keys.conversation);
      if (stored) {
        try {
          return decodeDialogue(stored.value).snapshot.context.locale;
        } catch {
          // fall through to the marker
        }
      }
      return asLocale(await coordination.get(keys.known)) ?? 'zh';
    },

    /** What closeTurn writes: the dialogue, and on a dialogue's first save the marker that outlives it. */
    write(who: ChannelIdentity, loaded: Loaded, dialogue: Dialogue): CloseTurnWrite {
      const value = encodeDialogue(dialogue);
      const write: CloseTurnWrite = { expectedVersion: loaded.version, value, ttlMs: snapshotTtlMs };
      // Written when a dialogue starts; it outlives the snapshot so expiry can be told apart from first contact.
      if (loaded.kind !== 'live') write.alsoSet = { key: conversationKeys(who).known, value: dialogue.snapshot.context.locale, ttlMs: knownTtlMs };
      return write;
    },
  };
}

export type DialogueStore = ReturnType<typeof createDialogueStore>;
