// The transfer slip (转办单) as text, for the unit's liaison and for staff. Reporter identity goes
// through the privacy rule, and the slip carries the source's privacy note, as the paper form does.
import type { CaseDoc, TransferSlip } from '../../models/case.js';
import { formatZhDateTime } from '../calendar/index.js';
import { slipZh } from '../locales/zh/cases.js';
import { type Viewer, redactFor, reporterFor } from '../privacy.js';

export function renderSlip(doc: CaseDoc, slip: TransferSlip, unitName: string, viewer: Viewer): string {
  const f = slipZh.fields;
  const who = reporterFor(doc, viewer);
  const line = (k: string, v: string) => `${k}：${v}`;
  const lines = [
    slipZh.title,
    line(f.number, slip.number),
    line(f.unit, unitName),
    line(f.requestType, slip.requestType),
    line(f.receivedAt, formatZhDateTime(slip.receivedAt)),
    line(f.transferredAt, formatZhDateTime(slip.transferredAt)),
    line(f.requester, who.visibility === 'hidden' ? slipZh.hidden : who.name),
    line(f.contact, who.visibility === 'hidden' ? slipZh.hidden : who.phone),
    line(f.replyDue, `${formatZhDateTime(slip.replyDueAt)}${slip.replyDueProvisional ? '（暂定）' : ''}`),
    line(f.content, redactFor(doc, viewer, slip.content)),
    line(f.transferredBy, `${slip.transferredBy.label ?? slip.transferredBy.id}　${formatZhDateTime(slip.transferredAt)}`),
  ];
  if (slip.reply) {
    lines.push(
      line(f.reply, `${slip.reply.eligible ? '' : '【不符合办理条件】'}${redactFor(doc, viewer, slip.reply.text)}${slip.reply.basis ? `（依据：${slip.reply.basis}）` : ''}`),
      line(f.handledBy, `${slip.reply.by.label ?? slip.reply.by.id}　${formatZhDateTime(slip.reply.at)}`),
    );
  }
  if (slip.remarks) lines.push(line(f.remarks, redactFor(doc, viewer, slip.remarks)));
  lines.push(slipZh.privacy);
  return lines.join('\n');
}
