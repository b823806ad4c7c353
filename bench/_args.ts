// `--name N` arguments of the benchmark scripts.

/** The positive whole number after `--name`, or `fallback` when the flag is absent. */
export function arg(args: string[], name: string, fallback: number): number {
  const i = args.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = Number(args[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`--${name} expects a positive whole number, e.g. --${name} ${fallback}`);
  return v;
}
