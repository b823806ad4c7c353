import { describe, expect, it } from 'vitest';
import { detectAgitation, detectOutOfScope } from '../../../machines/intake/index.js';

describe('detectOutOfScope', () => {
  it.each([
    ['这事我已经向法院起诉了', 'litigation'],
    ['劳动仲裁还没结果', 'litigation'],
    ['我对行政处罚决定不服，申请了行政复议', 'legal'],
    ['我去年就上访过', 'petition'],
    ['能不能通融一下破例给我办', 'contrary_to_policy'],
    ['I have already filed a lawsuit in court', 'litigation'],
  ])('flags %s as %s', (text, reason) => {
    expect(detectOutOfScope(text)?.reason).toBe(reason);
  });

  it('reports the words it noticed, so the citizen sees why we ask', () => {
    expect(detectOutOfScope('法院判决以后还是办不了')?.terms).toEqual(['法院', '判决']);
  });

  it.each(['营业执照变更时窗口让我来回跑', '不涉及诉讼，也没有上访', '我没有起诉', 'courtesy was lacking'])(
    'leaves %s alone',
    (text) => {
      expect(detectOutOfScope(text)).toBeNull();
    },
  );
});

describe('detectAgitation', () => {
  it.each(['你们这是欺人太甚', '我真是受够了', '再不办我就找媒体曝光', '到底办不办！！！', 'I am fed up with this'])(
    'notices %s',
    (text) => {
      expect(detectAgitation(text)).not.toBeNull();
    },
  );

  it.each(['窗口让我补交材料', '垃圾清运许可怎么办理', '谢谢！'])('does not flag a calm message: %s', (text) => {
    expect(detectAgitation(text)).toBeNull();
  });
});
