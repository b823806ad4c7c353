import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, scrubPhones } from '../../services/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: 'trace', pretty: false, destination }) };
}

describe('logger privacy', () => {
  it('redacts reporter fields at any depth and level', () => {
    const { lines, logger } = capture();
    logger.info({ reporter: { name: '王小明', phone: '13812345678' }, case: { reporterPhone: '13812345678' } }, 'registered');
    logger.debug({ phone: '0512-52345678' }, 'debug line');
    const out = lines.join('');
    expect(out).not.toContain('13812345678');
    expect(out).not.toContain('王小明');
    expect(out).not.toContain('52345678');
    expect(out).toContain('registered');
  });

  it('masks phone numbers written into messages', () => {
    const { lines, logger } = capture();
    logger.warn('citizen 13812345678 could not be reached, call 0512-52345678');
    expect(lines.join('')).toContain('138****5678');
    expect(lines.join('')).not.toContain('13812345678');
    expect(scrubPhones('tel 0512-52345678')).toBe('tel 0512-****678');
  });

  it('hides chat ids and other contact identifiers, keeping timestamps and case numbers', () => {
    const { lines, logger } = capture();
    logger.warn({ chat: 'wechat:wxid_8k2n3m4p5q', conversation: 'conv:telegram:123456789', caseNumber: '20261124001' }, 'mail zw1990@qq.com, id 320581199001011234, +86(139)00121000');
    const out = lines.join('');
    for (const secret of ['wxid_8k2n3m4p5q', '123456789', 'zw1990@qq.com', '320581199001011234', '00121000']) expect(out).not.toContain(secret);
    expect(out).toContain('wechat:[隐藏]');
    expect(out).toContain('20261124001');
    expect(out).toMatch(/"time":\d{13}/);
  });
});
