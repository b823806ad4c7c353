// What a Telegram feature is: one audience's Composer (citizens in private chats, the staff
// group, liaisons), mounted behind the bot's error boundary, plus — for a feature that owns
// addresses, such as the staff rooms — how the dispatcher's messages to them are delivered.
// Features are listed in features.ts, in the order they see updates; each passes on (next())
// what is not its own, and the citizen feature comes last.
import type { Api, Composer, Context } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import type { Address } from '../../models/message.js';
import type { Sayable } from '../../models/sayable.js';
import type { AttachmentStore } from '../../services/attachments.js';
import type { SendMeta, SendResult } from '../../services/delivery/index.js';
import type { ChannelDeps, ChannelRuntime } from '../channel.js';
import type { CallbackCodec } from './render.js';

export interface TelegramFeatureContext {
  deps: ChannelDeps;
  api: Api;
  /** The bot's own account; known once the bot has started (getMe). */
  me(): UserFromGetMe;
  /** Choice ids ⇄ callback data (long ids are hashed). */
  codec: CallbackCodec;
  /** Where files people send are kept, so they outlive Telegram's file links. */
  attachments: AttachmentStore;
  /** Fetches a file people sent (getFile, then the download) and keeps it; see citizen/attachments.ts. */
  keepFile(fileId: string, mime: string): Promise<{ ref: string; size: number }>;
  /** The running desk (the dispatcher), once started. */
  runtime(): ChannelRuntime | undefined;
}

export interface TelegramFeature {
  name: string;
  composer: Composer<Context>;
  /** True for addresses this feature delivers to; the plain renderer takes the rest. */
  delivers?(to: Address): boolean;
  send?(to: Address, message: Sayable, meta: SendMeta): Promise<SendResult>;
  start?(): Promise<void>;
  stop?(): Promise<void>;
}

export type TelegramFeatureFactory = (ctx: TelegramFeatureContext) => TelegramFeature | Promise<TelegramFeature>;
