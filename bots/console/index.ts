// The console as a channel plug-in: a citizen and the staff sharing this process's terminal.
import { join } from 'node:path';
import { defineChannel } from '../channel.js';
import { fileSaver } from './files.js';
import { startConsoleChannel } from './console.js';
import { drainConsole } from './drain.js';
import { consoleAddressBook, createConsoleSender } from './sender.js';

export interface ConsoleOptions {
  /** Defaults to this process's stdin/stdout. */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** A terminal (prompt and keep going); defaults to whether the input is a TTY. */
  interactive?: boolean;
}

/** The console's citizen chat id (staff act as the site's window clerk until `/as` says otherwise). */
const CONSOLE_CITIZEN = 'citizen';

export const consoleChannel = defineChannel({
  name: 'console',
  async create(deps, options: ConsoleOptions | undefined) {
    const { models, directory, site, menus, clock, config, logger } = deps;
    const citizen = { channel: 'console' as const, id: CONSOLE_CITIZEN };
    // The sender prints through the terminal, which opens only once delivery runs.
    let print: ((text: string) => void) | undefined;
    const book = consoleAddressBook(CONSOLE_CITIZEN, deps.sites, await models.Staff.find({ active: true }).lean());
    // Forms and reports sent to the terminal land as files beside the store's data.
    const saveFile = fileSaver(join(config.DATA_DIR, 'files'));
    const sender = createConsoleSender(book, (t) => print?.(t), (choices) => menus.remember(citizen, choices), saveFile);
    // One person at a local terminal (often a pasted or piped script): no flood to guard against.
    const conversation = deps.conversationEngine({ capacity: 1_000, refillPerSecond: 1_000 });
    const defaultStaff = (await directory.staffWithRole(site._id, 'window_clerk'))[0]?._id ?? 'admin';
    let close = () => {};
    let markEnded!: () => void;
    const ended = new Promise<void>((r) => {
      markEnded = r;
    });
    return {
      sender,
      ended,
      async start({ dispatcher }) {
        const input = options?.input ?? process.stdin;
        const terminal = startConsoleChannel({
          input,
          output: options?.output ?? process.stdout,
          interactive: options?.interactive ?? Boolean((input as NodeJS.ReadStream).isTTY),
          citizen,
          converse: (identity, event) => conversation.handle(identity, { ...event, locale: config.LOCALE }),
          menus,
          command: (staff, line) => deps.staffCommand(staff, line),
          drain: () => drainConsole({ models, dispatcher, clock }),
          directory,
          site,
          defaultStaff,
          logger,
          saveFile,
        });
        print = terminal.print;
        close = terminal.close;
        void terminal.done.then(markEnded);
      },
      async stop() {
        close();
      },
    };
  },
});
