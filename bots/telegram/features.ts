// The Telegram features, in the order they see updates. A feature for a narrower audience comes
// before a wider one: the staff group and liaisons before citizens, whose feature answers every
// private chat nobody else took.
import { citizenFeature } from './citizen/index.js';
import type { TelegramFeatureFactory } from './feature.js';
import { liaisonFeature } from './liaison/index.js';
import { staffFeature } from './staff/index.js';

export const TELEGRAM_FEATURES: readonly TelegramFeatureFactory[] = [staffFeature, liaisonFeature, citizenFeature];
