// Loading and saving a chat's dialogue. The snapshot is a versioned value written by
// compare-and-set: the per-chat lock serializes turns, and the version check fences off a
// process whose lease ran out mid-turn, so it can never overwrite a newer turn.
import { IntakeSnapshotError } from '../../machines/intake/index.js';
import type { ChannelIdentity, Locale } from '../../models/vocabulary.js';
import { LOCALES } from '../../models/vocabulary.js';
import type { Coordination } from '../coordination/index.js';
import type { Logger } from '../logger.js';
import { type Dialogue, decodeDialogue, encodeDialogue, newDialogue } from './dialogue.js';
import { ConversationConflictError } from './errors.js';
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
    async load(who: ChannelIdentity, preferred?: Locale): Promise<Loaded> {
      const keys = conversationKeys(who);
      const stored = await coordination.getVersioned(keys.conversation);
      if (stored) {
        try {
          return { kind: 'live', dialogue: decodeDialogue(stored.value), version: stored.version };
        } catch (e) {
          if (!(e instanceof IntakeSnapshotError)) throw e;
          logger.warn({ chat: keys.conversation, err: e.message }, 'stored dialogue cannot be resumed; starting over');
          return { kind: 'expired', dialogue: newDialogue(preferred ?? 'zh'), version: stored.version };
        }
      }
      const known = await coordination.get(keys.known);
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

    /** Writes the dialogue; returns the stored size in bytes. */
    async save(who: ChannelIdentity, loaded: Loaded, dialogue: Dialogue): Promise<number> {
      const keys = conversationKeys(who);
      const value = encodeDialogue(dialogue);
      const result = await coordination.compareAndSet(keys.conversation, loaded.version, value, { ttlMs: snapshotTtlMs });
      if (!result.ok) throw new ConversationConflictError(keys.conversation, loaded.version, result.current?.version ?? 0);
      // The marker is written when a dialogue starts; it outlives the snapshot so expiry can be told apart from first contact.
      if (loaded.kind !== 'live') await coordination.set(keys.known, dialogue.snapshot.context.locale, { ttlMs: knownTtlMs });
      return Buffer.byteLength(value, 'utf8');
    },
  };
}

export type DialogueStore = ReturnType<typeof createDialogueStore>;
