// What Telegram users read that only the Telegram channel says: the command menu, answers to
// button presses the dialogue never sees, and why a message to a citizen did not go out.
export const telegramZh = {
  commands: [
    { command: 'start', description: '开始 / 回到主菜单' },
    { command: 'new', description: '反映一件新的“办不成事”' },
    { command: 'status', description: '查询办理进度（可加编号）' },
    { command: 'cancel', description: '取消正在填写的反映' },
    { command: 'help', description: '使用说明' },
  ],
  /** Toast on a press of a keyboard the conversation has moved past. */
  staleButton: '这个菜单已过时，请使用最新一条消息里的按钮，或直接打字回答。',
  /** Toast on callback data that is not one of the pressed message's buttons. */
  forgedButton: '无法识别的按钮，没有处理。',
  /** Toast while the press is being handled. */
  pressTaken: '已收到',
  /** Appended to a menu once answered by a press, so the chat shows what was chosen. */
  chosen: (label: string) => `\n\n✔ ${label}`,
  /** A /start link naming a site the desk does not run. */
  unknownSite: '二维码中的服务点不存在或已停用，您的反映将登记到本中心。',
  /** A /start link naming a site: the report goes there. */
  siteChosen: (name: string) => `您正在向“${name}”的办不成事窗口反映问题。`,
  voiceName: '语音.ogg',
  /** A citizen edited a message already sent: the desk keeps what was sent first. */
  editIgnored: '修改已发送的消息不会改动登记的内容。如需更正，请直接再发一条消息说明。',
  /** The printed poster of a window (npm run poster). */
  posterTitle: '“办不成事”反映窗口',
  posterLines: ['用 Telegram 扫码，直接向本窗口反映', '办事遇到困难、来回跑、找不到部门，都可以反映', '您的姓名和电话不会告诉被反映的单位'],
  /** Dead-letter reasons shown to staff (who then phone the citizen). */
  blocked: '诉求人已屏蔽本机器人，Telegram 消息无法送达',
  chatGone: 'Telegram 会话不存在或已被删除',
  refused: (description: string) => `Telegram 拒收：${description}`,
};
