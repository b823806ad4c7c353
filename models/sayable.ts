// The channel-neutral message every part of the product emits. Channels only translate it:
// Telegram renders `choices` as an inline keyboard (edited in place when `replaceable`),
// WeChat as a numbered text menu, the console as numbered lines.

export interface Choice {
  /** Stable id the channel sends back when the choice is taken (callback data, menu number). */
  id: string;
  label: string;
}

export type Sayable =
  | { kind: 'text'; text: string }
  | {
      kind: 'choices';
      text: string;
      choices: Choice[];
      /** When true a channel may edit the previous menu in place instead of sending a new one. */
      replaceable?: boolean;
    }
  | {
      kind: 'file';
      /** File name shown to the user, e.g. 转办单-20261124001.pdf */
      name: string;
      mime: string;
      /** Base64 content; files we send are small forms and exports. */
      base64: string;
      caption?: string;
    };

export const text = (t: string): Sayable => ({ kind: 'text', text: t });
