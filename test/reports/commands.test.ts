// The report commands in the one staff parser: 登记表 and 转办单 are words of their own (not 登记 /
// 转办 glued to an argument), 清单 with a period is the ledger while plain 清单 stays the open list.
import { describe, expect, it } from 'vitest';
import { renderSayable } from '../../bots/console/render.js';
import { parseStaffCommand } from '../../services/staff-commands/index.js';
import { staffHelp } from '../../services/staff-commands/index.js';

describe('parsing the report commands', () => {
  it('#n 登记表 is the form, not a 登记 of someone called 表', () => {
    expect(parseStaffCommand('#20261124001 登记表')).toEqual({ verb: 'registrationForm', number: '20261124001', reveal: false });
    expect(parseStaffCommand('#20261124001 登记表 完整')).toEqual({ verb: 'registrationForm', number: '20261124001', reveal: true });
    expect(parseStaffCommand('登记 王小明 13812345678 事项：企业开办 情况：材料被退回三次')).toMatchObject({ verb: 'register', name: '王小明' });
    expect(parseStaffCommand('#20261124001 登记表 随便')).toHaveProperty('error');
  });

  it('#n 转办单 shows the slip, 重发 sends it again, and 转办 still transfers', () => {
    expect(parseStaffCommand('#20261124001 转办单')).toEqual({ verb: 'slipForm', number: '20261124001', resend: false });
    expect(parseStaffCommand('#20261124001 转办单 重发')).toEqual({ verb: 'slipForm', number: '20261124001', resend: true });
    expect(parseStaffCommand('#20261124001 转办 jyj')).toMatchObject({ verb: 'transfer', target: 'jyj' });
  });

  it('清单 with a period is the ledger; plain 清单 is still the open-case list', () => {
    expect(parseStaffCommand('清单')).toEqual({ verb: 'list', scope: 'open', page: 1 });
    expect(parseStaffCommand('#清单 2')).toEqual({ verb: 'list', scope: 'open', page: 2 });
    expect(parseStaffCommand('清单 本周')).toEqual({ verb: 'ledger', period: { kind: 'relative', unit: 'week', offset: 0 } });
    expect(parseStaffCommand('清单 上周')).toEqual({ verb: 'ledger', period: { kind: 'relative', unit: 'week', offset: -1 } });
    expect(parseStaffCommand('清单 2026-11-01 2026-11-30')).toEqual({ verb: 'ledger', period: { kind: 'range', from: '2026-11-01', to: '2026-11-30' } });
    expect(parseStaffCommand('清单 2026年11月1日 至 2026年11月30日')).toEqual({ verb: 'ledger', period: { kind: 'range', from: '2026-11-01', to: '2026-11-30' } });
    expect(parseStaffCommand('问题清单')).toEqual({ verb: 'ledger' });
  });

  it('考核 takes 本月, 上月 or a month, and defaults to this month', () => {
    expect(parseStaffCommand('考核 本月')).toEqual({ verb: 'performance', period: { kind: 'relative', unit: 'month', offset: 0 } });
    expect(parseStaffCommand('考核 2026-11')).toEqual({ verb: 'performance', period: { kind: 'month', month: '2026-11' } });
    expect(parseStaffCommand('#考核')).toEqual({ verb: 'performance' });
  });

  it('a date that does not exist, or a range the wrong way round, is refused with the right form', () => {
    const bad = parseStaffCommand('清单 2026-02-30 2026-03-05');
    expect(bad).toHaveProperty('error');
    expect((bad as { error: string }).error).toContain('清单 <本周|上周|本月|上月|2026-11|起始日期 结束日期>');
    expect((parseStaffCommand('清单 2026-11-30 2026-11-01') as { error: string }).error).toContain('晚于');
    expect((parseStaffCommand('考核 明年') as { error: string }).error).toContain('不是有效的时间段');
  });

  it('help lists the four report commands', () => {
    const help = staffHelp();
    for (const w of ['登记表', '转办单', '清单 2026-11-01 2026-11-30', '考核 2026-11']) expect(help).toContain(w);
  });
});

describe('a file on the console', () => {
  it('is written where the person at the terminal can open it, and the path is printed', () => {
    const saved: string[] = [];
    const out = renderSayable({ kind: 'file', name: '转办单-1.pdf', mime: 'application/pdf', base64: Buffer.from('%PDF').toString('base64'), caption: '转办单 1' }, (f) => {
      saved.push(f.name);
      return '/data/files/转办单-1.pdf';
    });
    expect(saved).toEqual(['转办单-1.pdf']);
    expect(out).toBe('[文件] 转办单-1.pdf（1 KB）\n已保存到 /data/files/转办单-1.pdf\n转办单 1');
  });
});
