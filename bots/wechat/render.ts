// A channel-neutral message as WeChat text: WeChat has no buttons, so a menu becomes numbered
// lines the citizen answers by typing a number or the words (the dialogue accepts both).
import type { Sayable } from '../../models/sayable.js';
import { wechatZh } from '../../services/locales/zh/wechat.js';

export function renderWechatText(s: Sayable): string {
  switch (s.kind) {
    case 'text':
      return s.text;
    case 'choices':
      return [s.text, ...s.choices.map((c, i) => `${i + 1}. ${c.label}`), wechatZh.menuHint].join('\n');
    case 'file':
      return [s.caption ?? '', wechatZh.fileNotShown({ name: s.name })].filter(Boolean).join('\n');
  }
}
