// Command dispatch: finds the handler, refuses options it does not understand, and turns every
// failure into a MongoDB-shaped error reply so nothing escapes to the connection.
import { CommandError, type Doc } from '../errors.js';
import { adminCommands } from './admin.js';
import { type CommandContext, type CommandHandler, refuseUnknownOptions } from './context.js';
import { explainCommands } from './explain.js';
import { indexCommands } from './indexes.js';
import { readCommands } from './read.js';
import { writeCommands } from './write.js';

const TRANSACTION_FIELDS = ['txnNumber', 'autocommit', 'startTransaction'];

const handlers: Record<string, CommandHandler> = { ...adminCommands, ...readCommands, ...writeCommands, ...indexCommands, ...explainCommands };
const handlerMap = new Map(Object.entries(handlers));

export async function runCommand(cmd: Doc, db: string, ctx: CommandContext): Promise<Doc> {
  const name = Object.keys(cmd)[0];
  try {
    const handler = name === undefined ? undefined : handlerMap.get(name);
    if (!handler) throw new CommandError(59, 'CommandNotFound', `no such command: '${name ?? ''}'`);
    if (TRANSACTION_FIELDS.some((f) => cmd[f] !== undefined))
      throw new CommandError(20, 'IllegalOperation', 'Transaction numbers are only allowed on a replica set member or mongos');
    refuseUnknownOptions(handler, cmd, name!);
    return await handler.run(cmd, db, ctx);
  } catch (err) {
    if (err instanceof CommandError) return err.toReply();
    // mingo reports bad operators and expressions with its own error class: that is bad input.
    if ((err as Error).name === 'MingoError') return { ok: 0, errmsg: (err as Error).message, code: 2, codeName: 'BadValue' };
    ctx.logger.error({ err, command: name }, 'embedded store: command failed unexpectedly');
    return { ok: 0, errmsg: `internal error in '${name}': ${(err as Error).message}`, code: 1, codeName: 'InternalError' };
  }
}
