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
