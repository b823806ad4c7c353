// Staff and citizens type free text into commands; it is stored and shown as text, never
// interpreted. These checks give a readable refusal for empty or oversized input.
import { LIMITS } from '../../models/validation.js';
import { InvalidInputError } from '../errors.js';

export function requireText(value: unknown, field: string, label: string, opts: { min?: number; max?: number } = {}): string {
  const min = opts.min ?? 1;
  const max = opts.max ?? LIMITS.noteMax;
  if (typeof value !== 'string') throw new InvalidInputError(field, `请填写${label}。`);
  const s = value.normalize('NFC').trim();
  const len = Array.from(s).length;
  if (len === 0) throw new InvalidInputError(field, `请填写${label}。`);
  if (len < min) throw new InvalidInputError(field, `${label}过于简单（至少 ${min} 个字），请写明具体情况。`);
  if (len > max) throw new InvalidInputError(field, `${label}最多 ${max} 个字（现有 ${len} 个字），请精简。`);
  return s;
}

export function optionalText(value: unknown, field: string, label: string, max: number = LIMITS.noteMax): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  return requireText(value, field, label, { max });
}

export function requireList(value: unknown, field: string, label: string): string[] {
  if (!Array.isArray(value)) throw new InvalidInputError(field, `请逐项列出${label}。`);
  const items = value.map((x, i) => requireText(x, `${field}.${i}`, label, { max: 200 }));
  if (items.length === 0) throw new InvalidInputError(field, `请逐项列出${label}（至少一项）。`);
  if (items.length > 50) throw new InvalidInputError(field, `${label}最多 50 项。`);
  return items;
}

// A basis is where a "no" comes from: a law, regulation, rule or policy document, named so the
// citizen can look it up (《…》, 第…条, …法/条例/办法/规定/通知…). "无" or "见上" names nothing.
const NAMES_A_SOURCE =
  /《[^》]+》|第[一二三四五六七八九十百零〇\d]+[条款项章]|(?<![无没设想])法|政令|命令|条例|规定|办法|细则|规则|规范|政策|意见|通知|决定|标准|目录|清单|文件|批复|公告|章程|\b(?:law|act|rule|regulation|policy|article|section)s?\b|§/iu;

/**
 * The one rule for every basis a refusal states (不予受理通知书, 答复 不符合, 办结 不予受理/不符合):
 * required, and naming a law, rule or policy.
 */
export function requireBasis(value: unknown, field: string, label: string): string {
  const s = requireText(value, field, label, { max: 500 });
  if (!NAMES_A_SOURCE.test(s))
    throw new InvalidInputError(
      field,
      `${label}须写明具体的法律、法规、规章或政策文件（如《食品经营许可管理办法》第十二条），“${s.slice(0, 20)}”不是依据。`,
    );
  return s;
}
