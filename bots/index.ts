// The channels this version can run. Adding one is adding its plug-in here; app.ts composes
// whatever CHANNELS names from this list and has no line about any particular platform.
import type { ChannelName } from '../services/config.js';
import type { ChannelPlugin } from './channel.js';
import { consoleChannel } from './console/index.js';
import { telegramChannel } from './telegram/index.js';
import { wechatChannel } from './wechat/index.js';

export const CHANNEL_PLUGINS = [consoleChannel, telegramChannel, wechatChannel] as const;

type Plugin = (typeof CHANNEL_PLUGINS)[number];
type OptionsOf<P> = P extends ChannelPlugin<ChannelName, infer O> ? O : never;

/** Per-channel options by channel name, e.g. `{ console: { input, output } }`. */
export type ChannelOptions = { [P in Plugin as P['name']]?: OptionsOf<P> };

export function channelPlugin(name: ChannelName): ChannelPlugin<ChannelName, unknown> | undefined {
  return (CHANNEL_PLUGINS as readonly ChannelPlugin<ChannelName, never>[]).find((p) => p.name === name) as
    | ChannelPlugin<ChannelName, unknown>
    | undefined;
}
