// What the engine itself says, outside the intake dialogue's copy: refusals and notices about
// the conversation (too fast, busy, a follow-up that is not this chat's, a service that failed).
import type { Locale } from '../../models/vocabulary.js';
import { fillTemplate } from '../locales/render-intake.js';

const ZH = {
  slowDown: '您发得有点快，请稍等片刻再发。刚才这条没有处理，过一会儿重新发送就好。',
  busy: '系统正忙，刚才这条没有处理，请稍后再发一次。',
  unavailable: '系统繁忙，请稍后再发。刚才这条没有处理。',
  malformed: '这条消息的格式无法识别，没有处理。请发送文字、图片或文件，或点选菜单中的选项。',
  massFiling: '现在同时提交的反映特别多，这一条暂时没有登记。请过几分钟再点“再试一次”。',
  followUpNotYours: '这条回访不属于在本账号反映的事项，没有记录。如有疑问，请联系服务中心窗口。',
  followUpNotNow: '{caseNumber} 号事项这次没有记录评价：{reason}',
  followUpFailed: '评价暂时没能记录，请稍后再点一次；窗口工作人员也会电话回访您。',
  followUpComment: '回访意见：{comment}',
  supplementFailed: '这条没能补充到 {caseNumber} 号反映中：{reason}',
  supplementUnavailable: '这条暂时没能补充到 {caseNumber} 号反映中，请稍后再发一次。',
  submitProblem: '登记时发现问题：{reason}',
  progressUnavailable: '暂时查不到进度，请稍后再试。',
  withdrawUnavailable: '系统暂时没能办理撤回，请稍后再试。',
  progressCase: '{matter}：{status}',
  progressMine: '{caseNumber}　{matter}：{status}',
  listSeparator: '、',
} as const;

export type EngineCopyKey = keyof typeof ZH;

const EN: Record<EngineCopyKey, string> = {
  slowDown: 'You are sending messages a little fast. That last one was not handled; please wait a moment and send it again.',
  busy: 'The system is busy and did not handle that message. Please send it again in a moment.',
  unavailable: 'The system is busy; please send that again in a moment. That last message was not handled.',
  malformed: 'This message could not be read and was not handled. Please send text, a photo or a file, or pick an option from the menu.',
  massFiling: 'An unusually large number of reports are being submitted right now, so this one was not registered yet. Please tap "Try again" in a few minutes.',
  followUpNotYours: 'This follow-up is not about a report made from this account, so nothing was recorded. If in doubt, please contact the service center window.',
  followUpNotNow: 'Nothing was recorded for case {caseNumber} this time: {reason}',
  followUpFailed: 'Your rating could not be recorded just now. Please tap it again later; the window staff will also call you.',
  followUpComment: 'Follow-up comment: {comment}',
  supplementFailed: 'This could not be added to case {caseNumber}: {reason}',
  supplementUnavailable: 'This could not be added to case {caseNumber} just now. Please send it again in a moment.',
  submitProblem: 'The desk found a problem with the report: {reason}',
  progressUnavailable: 'Progress cannot be looked up just now. Please try again later.',
  withdrawUnavailable: 'The system could not withdraw it just now. Please try again later.',
  progressCase: '{matter}: {status}',
  progressMine: '{caseNumber}  {matter}: {status}',
  listSeparator: ', ',
};

const COPY: Record<Locale, Record<EngineCopyKey, string>> = { zh: ZH, en: EN };

export function engineText(key: EngineCopyKey, locale: Locale, values: Record<string, string | number> = {}): string {
  return fillTemplate(COPY[locale][key], values);
}
