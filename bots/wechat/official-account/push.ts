// What WeChat pushes to the webhook, as plain fields. Values stay strings: MsgId is a 64-bit
// number that a JavaScript number would round (two messages would then share one id).
import { XMLParser } from 'fast-xml-parser';

export type OaPush = Record<string, string> & { ToUserName: string; FromUserName: string; CreateTime: string; MsgType: string };

const parser = new XMLParser({ parseTagValue: false, processEntities: true, trimValues: false, ignoreDeclaration: true });

export class OaPushError extends Error {
  override name = 'OaPushError';
}

/** The fields of a push (or of the outer envelope in safe mode). Refuses anything not shaped like one. */
export function parseXmlFields(xml: string): Record<string, string> {
  let doc: unknown;
  try {
    doc = parser.parse(xml);
  } catch {
    throw new OaPushError('not XML');
  }
  const root = (doc as { xml?: unknown } | null)?.xml;
  if (!root || typeof root !== 'object') throw new OaPushError('no <xml> root');
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) {
    if (typeof v === 'string') out[k] = v;
    else if (typeof v === 'number') out[k] = String(v);
    else if (v && typeof v === 'object') out[k] = JSON.stringify(v); // nested (e.g. SendLocationInfo), kept for the record
  }
  return out;
}

export function parsePush(xml: string): OaPush {
  const f = parseXmlFields(xml);
  for (const k of ['ToUserName', 'FromUserName', 'CreateTime', 'MsgType'])
    if (!f[k]) throw new OaPushError(`push without ${k}`);
  return f as OaPush;
}

/**
 * What makes two deliveries the same push: WeChat retries a message with the same MsgId and an
 * event with the same sender and CreateTime (events carry no MsgId).
 */
export function pushKey(p: OaPush): string {
  if (p.MsgId) return `msg:${p.MsgId}`;
  return `event:${p.FromUserName}:${p.CreateTime}:${p.Event ?? ''}`;
}
