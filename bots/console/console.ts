// The console channel: a terminal chat as a citizen, with staff commands in the same terminal,
// so a newcomer can walk a case through the whole loop without any account anywhere.
// Plain lines go to the dialogue as the citizen; lines starting with # are staff commands acting
// as the current staff member; /as, /who, /help, /quit control the terminal itself.
import { clearLine, createInterface, cursorTo } from 'node:readline';
import { ROLE_LABELS_ZH } from '../../machines/permissions.js';
import type { Choice, Sayable } from '../../models/sayable.js';
import type { CitizenEvent } from '../../services/conversation/index.js';
import type { PushedMenus } from '../text-menus.js';
import type { StaffDoc } from '../../models/staff.js';
import { type ChannelIdentity, ROLES } from '../../models/vocabulary.js';
import type { Directory } from '../../services/directory/index.js';
import type { Logger } from '../../services/logger.js';
import { consoleZh } from '../../services/locales/zh/console.js';
import { type FileSayable, labelled, renderSayable } from './render.js';

export interface ConsoleChannelOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** A terminal: prompt and keep going; otherwise read lines until end of input, then finish. */
  interactive: boolean;
  citizen: ChannelIdentity;
  /** The dialogue: a citizen's event in, the replies of that turn out. */
  converse(identity: ChannelIdentity, event: CitizenEvent): Promise<Sayable[]>;
  /** Menus pushed to the citizen (the follow-up question), answerable by typing their number. */
  menus: PushedMenus;
  /** A staff command line (without the leading #) acting as `staff`. */
  command(staff: StaffDoc, line: string): Promise<Sayable[]>;
  /** Deliver everything due now, so pushes show right after the line that caused them. */
  drain(): Promise<void>;
  directory: Directory;
  site: { _id: string; name: string };
  defaultStaff: string;
  logger: Logger;
  /** Where files sent to the terminal are written; without it only their names are printed. */
  saveFile?: (f: FileSayable) => string;
}

export interface ConsoleChannel {
  /** Settles when input ends (or /quit) and everything it caused has been printed. */
  done: Promise<void>;
  /** Prints a message that arrives between lines (a push, a reminder) without garbling the prompt. */
  print(text: string): void;
  close(): void;
}

export function startConsoleChannel(o: ConsoleChannelOptions): ConsoleChannel {
  let acting: StaffDoc | null = null;
  /** The last menu a staff command showed: `#2` picks its second choice. */
  let staffChoices: Choice[] = [];
  const rl = createInterface({
    input: o.input,
    // In a terminal readline echoes what is typed and keeps the prompt; piped input needs neither.
    ...(o.interactive ? { output: o.output, terminal: true } : { terminal: false }),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  /** True while a line is being handled: the prompt is not on screen then. */
  let handling = false;
  /**
   * Set by /quit, Ctrl-C or the end of input. Lines already read (piped input arrives in one
   * chunk) are then dropped, and nothing prompts again: a prompt resumes the closed interface's
   * input, and a resumed terminal keeps the process alive after everything stopped.
   */
  let closed = false;
  /** Input ended or was closed: lines already read still run, but nothing prompts any more. */
  let ended = false;
  const quit = () => {
    if (closed) return;
    closed = true;
    rl.close();
  };
  const write = (text: string) => void o.output.write(`${text}\n`);
  const print = (text: string) => {
    if (!o.interactive || handling || closed || ended) return write(text);
    clearLine(o.output, 0);
    cursorTo(o.output, 0);
    write(text);
    rl.prompt(true);
  };
  const show = (label: string, replies: Sayable[]) => {
    for (const r of replies) write(labelled(label, renderSayable(r, o.saveFile)));
  };
  const who = async () => {
    acting ??= await o.directory.staff(o.defaultStaff);
    return acting;
  };
  const describe = (s: StaffDoc) => consoleZh.actingAs({ name: s.name, id: s._id, roles: s.roles.map((r) => ROLE_LABELS_ZH[r]).join('、') });

  async function slash(line: string): Promise<boolean> {
    const [cmd, arg] = line.slice(1).trim().split(/\s+/, 2);
    switch (cmd.toLowerCase()) {
      case 'as':
        try {
          const s = await o.directory.staff(String(arg ?? ''));
          // Someone removed from the directory can no longer act; /who does not list them either.
          if (!s.active) throw new Error('inactive');
          acting = s;
          write(describe(acting));
        } catch {
          write(consoleZh.unknownStaff(String(arg ?? '')));
        }
        return true;
      case 'who': {
        write(describe(await who()));
        write([consoleZh.staffList, ...(await listStaff())].join('\n'));
        return true;
      }
      case 'help':
        write(consoleZh.banner({ site: o.site.name, staff: (await who()).name }));
        return true;
      case 'quit':
      case 'exit':
        quit();
        return true;
      default:
        write(consoleZh.unknownSlash(cmd));
        return true;
    }
  }

  /** Everyone /as accepts: every active staff member of every site, this site first. */
  async function listStaff(): Promise<string[]> {
    const out: string[] = [];
    const sites = (await o.directory.sites()).sort((a, b) => Number(b._id === o.site._id) - Number(a._id === o.site._id));
    for (const site of sites) {
      const seen = new Set<string>();
      const lines: string[] = [];
      for (const role of ROLES) {
        for (const s of await o.directory.staffWithRole(site._id, role)) {
          if (seen.has(s._id)) continue;
          seen.add(s._id);
          lines.push(`  ${s.name}（${s._id}）${s.roles.map((r) => ROLE_LABELS_ZH[r]).join('、')}`);
        }
      }
      if (lines.length) out.push(consoleZh.siteHeading(site.name), ...lines);
    }
    return out;
  }

  async function handleLine(raw: string) {
    const line = raw.trim();
    if (!line) return;
    try {
      if (line.startsWith('/')) await slash(line);
      else if (line.startsWith('#') || line.startsWith('＃')) await staffLine(line.slice(1).trim());
      else await citizenLine(line);
      await o.drain();
    } catch (e) {
      o.logger.error({ err: e }, 'console line failed');
      write(consoleZh.error((e as Error).message));
    }
  }

  async function staffLine(rest: string) {
    const n = Number(rest.normalize('NFKC'));
    const picked = Number.isInteger(n) && n >= 1 ? staffChoices[n - 1] : undefined;
    const replies = await o.command(await who(), picked ? picked.id : rest);
    const menu = replies.findLast((r) => r.kind === 'choices');
    staffChoices = menu?.kind === 'choices' ? menu.choices : [];
    show('', replies);
  }

  async function citizenLine(line: string) {
    const pushed = await o.menus.pick(o.citizen, line);
    await o.menus.forget(o.citizen);
    const event: CitizenEvent = pushed ? { type: 'choice', id: pushed } : { type: 'text', text: line };
    show(consoleZh.fromDesk, await o.converse(o.citizen, event));
  }

  // Lines are handled one at a time, in order, even when pasted or piped in at once; the banner first.
  let queue = who().then((s) => {
    write(consoleZh.banner({ site: o.site.name, staff: `${s.name}（${s._id}）` }));
    if (o.interactive && !closed && !ended) {
      rl.setPrompt('> ');
      rl.prompt();
    }
  });
  const done = new Promise<void>((resolve) => {
    rl.on('line', (l) => {
      queue = queue.then(async () => {
        if (closed) return;
        handling = true;
        try {
          await handleLine(l);
        } finally {
          handling = false;
        }
        if (o.interactive && !closed && !ended) rl.prompt();
      });
    });
    // In a terminal readline swallows Ctrl-C; the first one ends the session.
    rl.on('SIGINT', () => {
      write(consoleZh.bye);
      quit();
    });
    rl.on('close', () => {
      ended = true;
      void queue.then(resolve);
    });
  });

  return { done, print, close: () => rl.close() };
}
