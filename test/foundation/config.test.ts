import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../services/config.js';

describe('configuration', () => {
  it('has working defaults for an empty environment', () => {
    const c = loadConfig({});
    expect(c.LOG_LEVEL).toBe('info');
    expect(c.MONGODB_URI).toBeUndefined();
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.OFFICE_HOURS).toEqual({ from: '09:00', to: '17:00' });
    expect(c.QUIET_HOURS).toEqual({ from: '21:00', to: '08:00' });
  });

  it.each([
    ['REDIS_URL', 'not-a-url', /REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL.*"not-a-url"/],
    ['MONGODB_URI', 'http://x', /MONGODB_URI: expected a mongodb:\/\//],
    ['LOG_LEVEL', 'loud', /LOG_LEVEL: expected one of fatal/],
    ['OFFICE_HOURS', '9-5', /OFFICE_HOURS: expected office hours as HH:MM-HH:MM/],
    ['EMBEDDED_MONGO_PORT', '70000', /EMBEDDED_MONGO_PORT: expected a TCP port/],
    ['CHANNELS', 'console,fax', /CHANNELS: expected a comma list of console, telegram, wechat/],
    ['LOCALE', 'fr', /LOCALE: expected zh or en/],
    ['WECHAT_OA_AES_KEY', 'short', /WECHAT_OA_AES_KEY: expected the 43-character EncodingAESKey/],
    ['WECHAT_OA_TEMPLATES', '{"citizen.*"', /WECHAT_OA_TEMPLATES: expected JSON/],
    ['WECHAT_OA_TEMPLATES', '{"citizen.*": {"fields": {}}}', /WECHAT_OA_TEMPLATES: /],
    ['WECHAT_API_BASE', 'api.weixin.qq.com', /WECHAT_API_BASE: expected a https:\/\/ or http:\/\/ URL/],
  ])('refuses %s=%s with one line naming the variable', (name, value, message) => {
    let err: unknown;
    try {
      loadConfig({ [name]: value });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).variable).toBe(name);
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message).not.toContain('\n');
  });

  it('treats an empty value as unset', () => {
    expect(loadConfig({ REDIS_URL: '' }).REDIS_URL).toBeUndefined();
  });

  it('lists every variable in the README configuration table', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const v of CONFIG_VARIABLES) expect(readme, v).toContain(`| \`${v}\` |`);
  });
});
