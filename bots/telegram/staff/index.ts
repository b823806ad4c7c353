// The staff side of the Telegram channel: the staff groups named in the directory (a site's
// `staffRooms` entry with channel `telegram`), one topic and case card per case, and delivery of
// everything the desk tells those groups.
import type { TelegramFeatureFactory } from '../feature.js';
import { createCallbackSigner } from './callback-data.js';
import { staffGroupComposer } from './group.js';
import { createStaffRoomSender } from './room-sender.js';
import { createTopics } from './topics.js';

/** The secret behind the buttons' signatures: shared by every bot process of the same bot. */
export const callbackSecret = (config: { TELEGRAM_BOT_TOKEN?: string }) => `banbucheng:callback:${config.TELEGRAM_BOT_TOKEN ?? ''}`;

export const staffFeature: TelegramFeatureFactory = (fc) => {
  const { deps, api } = fc;
  const siteByChat = new Map<string, string>();
  for (const s of deps.sites) for (const r of s.staffRooms) if (r.channel === 'telegram') siteByChat.set(String(r.id), s._id);
  const signer = createCallbackSigner(callbackSecret(deps.config));
  const topics = createTopics({ api, models: deps.models, directory: deps.directory, coordination: deps.coordination, clock: deps.clock, signer, logger: deps.logger });
  const sender = createStaffRoomSender({
    api,
    models: deps.models,
    topics,
    signer,
    clock: deps.clock,
    logger: deps.logger,
    attachments: fc.attachments,
    isStaffGroup: (id) => siteByChat.has(id),
  });
  const composer = staffGroupComposer({
    models: deps.models,
    directory: deps.directory,
    coordination: deps.coordination,
    clock: deps.clock,
    logger: deps.logger,
    topics,
    signer,
    siteOf: (id) => siteByChat.get(id),
    staffCommand: deps.staffCommand,
    kick: () => fc.runtime()?.dispatcher.kick(),
  });
  return { name: 'staff', composer, delivers: sender.handles, send: sender.send };
};
