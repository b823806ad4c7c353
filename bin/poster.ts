// `npm run poster -- <site> [--out <file.png>] [--bot <username>]`: the printable poster of one
// window, with a QR code of the bot's `/start s_<site>` link. The bot's username comes from
// --bot, else from Telegram itself (getMe with TELEGRAM_BOT_TOKEN on TELEGRAM_API_ROOT).
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Api } from 'grammy';
import { renderPoster, siteStartLink } from '../bots/telegram/poster.js';
import { ConfigError, loadConfig } from '../services/config.js';
import { loadDirectoryFile } from '../services/directory/index.js';

const usage = 'usage: npm run poster -- <site code> [--out poster-<site>.png] [--bot <bot username>]';

function fail(line: string): never {
  process.stderr.write(`${line}\n`);
  process.exit(2);
}

try {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { out: { type: 'string' }, bot: { type: 'string' } } });
  const [code] = positionals;
  if (!code || positionals.length > 1) fail(usage);
  const config = loadConfig();
  const directory = loadDirectoryFile(config.DIRECTORY_FILE);
  const site = directory.sites.find((s) => s.code === code);
  if (!site) fail(`no site "${code}" in ${config.DIRECTORY_FILE}; sites: ${directory.sites.map((s) => s.code).join(', ')}`);
  let bot = values.bot?.replace(/^@/, '');
  if (!bot) {
    if (!config.TELEGRAM_BOT_TOKEN) fail('the bot username is needed for the link: pass --bot <username>, or set TELEGRAM_BOT_TOKEN to ask Telegram');
    bot = (await new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_ROOT }).getMe()).username;
  }
  if (!/^[A-Za-z][A-Za-z0-9_]{3,31}$/.test(bot)) fail(`"${bot}" is not a Telegram bot username`);
  const out = values.out ?? `poster-${code}.png`;
  const link = siteStartLink(bot, site.code);
  writeFileSync(out, renderPoster({ siteName: site.name, ...(site.windowLocation ? { window: site.windowLocation } : {}), link }, { font: config.POSTER_FONT }));
  process.stdout.write(`${out}: ${site.name} — ${link}\n`);
} catch (e) {
  if (e instanceof ConfigError) fail(`配置错误 / configuration error: ${e.message}`);
  fail(`poster: ${e instanceof Error ? e.message : String(e)}`);
}
