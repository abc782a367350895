import { Argument, Command } from 'commander';
import {
  findSettingKey,
  loadSettings,
  parseSettingValue,
  saveSettings,
  SETTING_KEYS,
  type Settings,
} from '../../store/settings.js';
import { suggestion } from '../../text/suggestion.js';
import { UsageError } from '../errors.js';

/** `kq config get [KEY]` / `kq config set KEY VALUE`: the settings in config.json beside the review log. */
export function configCommand(): Command {
  const keys = SETTING_KEYS.map((k) => k.key);
  return new Command('config')
    .description(`read or change a setting (${keys.join(', ')})`)
    .addArgument(new Argument('<action>', 'get or set').choices(['get', 'set']))
    .argument('[key]', `one of ${keys.join(', ')} (get without a key prints them all)`)
    .argument('[value]', 'the new value (set)')
    .action((action: 'get' | 'set', key: string | undefined, value: string | undefined) => {
      if (action === 'get') {
        if (value !== undefined)
          throw new UsageError(`config get takes one key, not a value; to change it: kq config set ${key} ${value}`);
        const settings = loadSettings();
        const shown = key === undefined ? SETTING_KEYS : [settingKey(key)];
        const lines = shown.map((k) =>
          key === undefined ? `${k.key} = ${valueText(settings, k.field)}` : valueText(settings, k.field),
        );
        process.stdout.write(`${lines.join('\n')}\n`);
        return;
      }
      if (key === undefined || value === undefined)
        throw new UsageError(
          `config set needs a key and a value, e.g. kq config set new-per-day 20; keys: ${keys.join(', ')}`,
        );
      const setting = settingKey(key);
      const parsed = parseSettingValue(setting, value);
      if ('problem' in parsed) throw new UsageError(parsed.problem);
      const settings = { ...loadSettings(), [setting.field]: parsed.value };
      saveSettings(settings);
      process.stdout.write(`${setting.key} = ${valueText(settings, setting.field)}\n`);
    });
}

function settingKey(key: string) {
  const setting = findSettingKey(key);
  if (setting) return setting;
  throw new UsageError(
    `unknown setting '${key}'; ${suggestion(
      key,
      SETTING_KEYS.map((k) => k.key),
    )} (settings: ${SETTING_KEYS.map((k) => `${k.key}: ${k.allowed}`).join('; ')})`,
  );
}

function valueText(settings: Settings, field: keyof Settings): string {
  const value = settings[field];
  return value === null ? 'auto' : String(value);
}
