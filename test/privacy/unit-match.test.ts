// The unit complained about is recognised as citizens name it: each wording below matched nothing
// against the sample directory before aliases, so the case had no involved unit and the slip to
// that very unit carried the reporter's name and phone.
import { describe, expect, it } from 'vitest';
import { loadDirectoryFile, matchUnit, parseDirectory } from '../../services/directory/index.js';

const data = loadDirectoryFile('config/directory.json');
const city = data.units.filter((u) => u.site === 'city').map(({ code, ...u }) => ({ _id: code, ...u }));

describe('unit matcher with the directory aliases', () => {
  it.each([
    ['教育局', 'jyj'],
    ['教育局的窗口', 'jyj'],
    ['教委', 'jyj'],
    ['住建局', 'zjj'],
    ['市住建局', 'zjj'],
    ['住房和城乡建设局', 'zjj'],
    ['住房城乡建设局', 'zjj'],
    ['虞山', 'yushan-st'],
    ['海虞', 'haiyu'],
    ['便民服务中心', 'bmfw'],
    ['12345', 'bmfw'],
    ['不动产登记中心', 'bdc'],
    ['不动产窗口', 'bdc'],
    ['市场准入窗口', 'scrz'],
    ['营业执照窗口', 'scrz'],
    ['社保窗口', 'shebao'],
    ['医保窗口', 'shebao'],
    ['人社局', 'shebao'],
    ['督查科', 'xndc'],
    ['教育局 窗口', 'jyj'],
    ['常熟市教育局', 'jyj'],
    ['住建局那边', 'zjj'],
    ['市住房和城鄉建設局', 'zjj'],
  ])('reads %s as %s', (words, code) => expect(matchUnit(words, city)).toBe(code));

  it.each(['3号窗口', '综合窗口', '窗口', '市', '那边', ''])('does not guess a unit from %s', (words) => expect(matchUnit(words, city)).toBeNull());

  it('refuses at start-up an alias that already names another unit of the site', () => {
    const raw = structuredClone(data) as unknown as { units: { code: string; aliases: string[] }[] };
    raw.units.find((u) => u.code === 'zjj')?.aliases.push('教委');
    expect(() => parseDirectory(raw, 'directory.json')).toThrow(/"教委" already names unit "jyj"/);
  });

  it('refuses an alias made only of filler words', () => {
    const raw = structuredClone(data) as unknown as { units: { code: string; aliases: string[] }[] };
    raw.units.find((u) => u.code === 'zjj')?.aliases.push('市 窗口');
    expect(() => parseDirectory(raw, 'directory.json')).toThrow(/only words like/);
  });
});
