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
import type { ChannelIdentity } from '../../models/vocabulary.js';
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
  const write = (text: string) => void o.output.write(`${text}\n`);
  const print = (text: string) => {
    if (!o.interactive || handling) return write(text);
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
          acting = await o.directory.staff(String(arg ?? ''));
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
        rl.close();
        return true;
      default:
        write(consoleZh.unknownSlash(cmd));
        return true;
    }
  }

  async function listStaff(): Promise<string[]> {
    const out: string[] = [];
    for (const role of ['window_clerk', 'duty_officer', 'supervision', 'coordination', 'unit_liaison', 'leader', 'admin'] as const) {
      for (const s of await o.directory.staffWithRole(o.site._id, role))
        if (!out.some((l) => l.includes(`（${s._id}）`))) out.push(`  ${s.name}（${s._id}）${s.roles.map((r) => ROLE_LABELS_ZH[r]).join('、')}`);
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
    if (o.interactive) {
      rl.setPrompt('> ');
      rl.prompt();
    }
  });
  const done = new Promise<void>((resolve) => {
    rl.on('line', (l) => {
      queue = queue.then(async () => {
        handling = true;
        try {
          await handleLine(l);
        } finally {
          handling = false;
        }
        if (o.interactive) rl.prompt();
      });
    });
    // In a terminal readline swallows Ctrl-C; treat it as the end of the session.
    rl.on('SIGINT', () => rl.close());
    rl.on('close', () => {
      void queue.then(resolve);
    });
  });

  return { done, print, close: () => rl.close() };
}
