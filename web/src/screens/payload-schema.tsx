// The payload contract (SPEC §12): the JSON Schema of the messages an automation sends with its
// settings, and an example message, pretty-printed, each with copy and download as a .json file.
// On the automation page for its saved settings; in the wizard's labels step for the settings chosen
// so far (the preview route, before the automation exists).
import { useQuery } from '@tanstack/react-query';
import { ErrorBox, Loading } from '../components';
import { client, unwrap } from '../lib/api';
import { useI18n } from '../lib/i18n';
import { useMessageSchema } from '../lib/response-queries';
import type { MessageSchema, VariableSelection } from '../lib/types';
import { CopyButton, DownloadButton } from '../ui/copy';

/** A file name from a free-text name: lower case, letters, digits and dashes. */
export function fileNameOf(name: string, suffix: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'automation'}-${suffix}.json`;
}

function JsonBlock({ title, value, fileName }: { title: string; value: unknown; fileName: string }) {
  const { t } = useI18n();
  const text = JSON.stringify(value, null, 2);
  return (
    <div className="json-block">
      <h3>{title}</h3>
      <pre className="json" tabIndex={0} aria-label={title}>
        {text}
      </pre>
      <div className="actions">
        <CopyButton text={text} label={t('contract.copy', { what: title })} />
        <DownloadButton
          text={text + '\n'}
          fileName={fileName}
          label={t('contract.download', { what: title })}
        />
      </div>
    </div>
  );
}

export function ContractView({ contract, name }: { contract: MessageSchema; name: string }) {
  const { t } = useI18n();
  return (
    <div className="contract">
      <p className="muted">{t('contract.intro')}</p>
      <JsonBlock title={t('contract.schema')} value={contract.schema} fileName={fileNameOf(name, 'schema')} />
      <JsonBlock
        title={t('contract.example')}
        value={contract.example}
        fileName={fileNameOf(name, 'example')}
      />
    </div>
  );
}

/** The automation page's section: the contract of its saved settings. */
export function PayloadContractSection({
  automationId,
  name,
  version,
}: {
  automationId: string;
  name: string;
  version: string;
}) {
  const { t } = useI18n();
  const contract = useMessageSchema(automationId, version);
  return (
    <section aria-labelledby="contract-heading">
      <h2 id="contract-heading">{t('contract.title')}</h2>
      {contract.data ? (
        <ContractView contract={contract.data} name={name} />
      ) : contract.error ? (
        <ErrorBox error={contract.error} onRetry={() => void contract.refetch()} />
      ) : (
        <Loading />
      )}
    </section>
  );
}

export interface ContractSettings {
  surveyId: string;
  variables: VariableSelection;
  labels: 'auto' | 'data';
  answerFormat: 'text' | 'code';
}

/** The wizard's preview: the contract the automation would have with the settings chosen so far. */
export function PayloadContractPreview({ settings }: { settings: ContractSettings }) {
  const { t } = useI18n();
  const contract = useQuery({
    queryKey: ['surveys', settings.surveyId, 'message-schema', settings],
    queryFn: () => unwrap(client.POST('/api/v1/automations/schema-preview', { body: settings })),
    placeholderData: (previous) => previous,
  });
  return (
    <details className="contract-preview">
      <summary>{t('contract.preview')}</summary>
      {contract.data ? (
        <ContractView contract={contract.data} name="svarbud" />
      ) : contract.error ? (
        <ErrorBox error={contract.error} onRetry={() => void contract.refetch()} />
      ) : (
        <Loading />
      )}
    </details>
  );
}
