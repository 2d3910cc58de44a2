// The header's organization menu: the team, API keys and erasing a respondent's data.
import { useNavigate } from 'react-router';
import { useI18n } from './lib/i18n';
import { ActionsMenu } from './ui/menu';

export function SettingsMenu() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const items = [
    { id: '/settings/team', label: t('nav.team'), textValue: t('nav.team') },
    { id: '/settings/api-keys', label: t('apiKeys.title'), textValue: t('apiKeys.title') },
    { id: '/settings/erase', label: t('erase.title'), textValue: t('erase.title') },
  ];
  return <ActionsMenu label={t('nav.settings')} actions={items} onAction={(path) => navigate(path)} />;
}
