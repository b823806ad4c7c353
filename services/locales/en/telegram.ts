// The English side of the Telegram channel's own copy (users whose Telegram is in English).
import type { telegramZh } from '../zh/telegram.js';

export const telegramEn: Pick<typeof telegramZh, 'commands' | 'staleButton' | 'forgedButton' | 'pressTaken' | 'chosen' | 'unknownSite' | 'siteChosen' | 'voiceName' | 'editIgnored'> = {
  commands: [
    { command: 'start', description: 'Start / back to the main menu' },
    { command: 'new', description: 'Report something you could not get done' },
    { command: 'status', description: 'Check progress (optionally with the case number)' },
    { command: 'cancel', description: 'Cancel the report being written' },
    { command: 'help', description: 'How to use this bot' },
  ],
  staleButton: 'This menu is out of date. Please use the buttons of the latest message, or type your answer.',
  forgedButton: 'Unknown button; nothing was done.',
  pressTaken: 'Received',
  chosen: (label: string) => `\n\n✔ ${label}`,
  unknownSite: 'The service point in this QR code does not exist or is no longer in use; your report goes to the main center.',
  siteChosen: (name: string) => `You are reporting to the window of ${name}.`,
  voiceName: 'voice.ogg',
  editIgnored: 'Editing a message you already sent does not change what was recorded. To correct something, please send a new message saying so.',
};
