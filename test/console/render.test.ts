import { describe, expect, it } from 'vitest';
import { renderSayable } from '../../bots/console/render.js';

describe('console rendering', () => {
  it('numbers choices for typing', () => {
    expect(renderSayable({ kind: 'choices', text: '请选择', choices: [{ id: 'a', label: '满意' }, { id: 'b', label: '不满意' }] })).toBe(
      '请选择\n  1. 满意\n  2. 不满意',
    );
  });

  it('strips terminal escape sequences a citizen typed, keeping line breaks', () => {
    expect(renderSayable({ kind: 'text', text: '你好\u001b[2J\u001b]0;pwned\u0007\n第二行\u009b' })).toBe('你好[2J]0;pwned\n第二行');
  });
});
