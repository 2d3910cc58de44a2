// The system background variables (first name, last name, e-mail) are named by the server in English;
// the UI shows them in its own language. Other variables show the name their author gave them.
import type { MessageKey, Translate } from './i18n';

const SYSTEM_NAMES: Record<string, MessageKey> = {
  'First name': 'system.first_name',
  'Last name': 'system.last_name',
  'E-mail': 'system.email',
};
// A Variable (data labels, variable picker) is a system one when its auto label and name are theirs.
const BY_AUTO_LABEL: Record<string, [string, MessageKey]> = {
  FirstName: ['First name', 'system.first_name'],
  LastName: ['Last name', 'system.last_name'],
  Email: ['E-mail', 'system.email'],
};

/** A background variable's name as shown: translated for a system variable. */
export function backgroundName(t: Translate, b: { name: string; system: boolean }): string {
  const key = b.system ? SYSTEM_NAMES[b.name] : undefined;
  return key ? t(key) : b.name;
}

/** A variable's text as shown: translated for a system background variable. */
export function variableText(t: Translate, v: { kind: string; text: string; autoLabel: string }): string {
  const system = v.kind === 'background' ? BY_AUTO_LABEL[v.autoLabel] : undefined;
  return system && system[0] === v.text ? t(system[1]) : v.text;
}
