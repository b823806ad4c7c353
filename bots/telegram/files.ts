// Files people send are fetched at once and kept by the desk: Telegram's download links last
// about an hour, the case for years. getFile gives the path, the download comes from the same
// Bot API server (a self-hosted one included). A file Telegram will not hand over (over 20 MB
// through the public server) is kept as its file id, from which staff can still forward it.
import { GrammyError, type Api } from 'grammy';
import type { AttachmentStore } from '../../services/attachments.js';
import type { Logger } from '../../services/logger.js';

/** An attachment ref for a file only Telegram has (too big to download through the Bot API). */
export const TELEGRAM_FILE = 'telegram-file:';

export function createFileKeeper(o: { api: Api; apiRoot: string; token: string; attachments: AttachmentStore; logger: Logger }) {
  return async function keepFile(fileId: string, mime: string): Promise<{ ref: string; size: number }> {
    let path: string | undefined;
    let size = 0;
    try {
      const f = await o.api.getFile(fileId);
      path = f.file_path;
      size = f.file_size ?? 0;
    } catch (e) {
      if (!(e instanceof GrammyError && /file is too big/.test(e.description))) throw e;
    }
    if (!path) {
      o.logger.warn({ size }, 'file too big to download through the Bot API; kept as its Telegram file id');
      return { ref: `${TELEGRAM_FILE}${fileId}`, size };
    }
    const res = await fetch(`${o.apiRoot}/file/bot${o.token}/${path}`, { signal: AbortSignal.timeout(60_000) });
    if (!res.ok) throw new Error(`downloading a file from the Bot API answered HTTP ${res.status}`);
    return o.attachments.keep(Buffer.from(await res.arrayBuffer()), mime);
  };
}
