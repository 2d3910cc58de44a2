// Date fields on React Aria Components: typed segment by segment in the UI's locale (dd.mm.åååå in
// nb-NO, dd/mm/yyyy in en-GB), with the limits and our own error messages; the value stays YYYY-MM-DD.
import { parseDate } from '@internationalized/date';
import type { ReactNode } from 'react';
import {
  DateField as AriaDateField,
  DateInput,
  DateSegment,
  I18nProvider,
  Label,
} from 'react-aria-components';
import { isDate } from '../lib/dates';
import { useI18n } from '../lib/i18n';

const calendarDate = (value: string) => (value && isDate(value) ? parseDate(value) : null);

export function DateField({
  label,
  value,
  min,
  max,
  error,
  describedBy,
  onChange,
}: {
  label: string;
  /** YYYY-MM-DD, or '' for none. */
  value: string;
  min?: string;
  max?: string;
  error?: ReactNode;
  describedBy?: string;
  onChange(value: string): void;
}) {
  return (
    <AriaDateField
      className="field date-field"
      value={calendarDate(value)}
      minValue={min ? calendarDate(min) : null}
      maxValue={max ? calendarDate(max) : null}
      isInvalid={Boolean(error)}
      validationBehavior="aria"
      aria-describedby={describedBy}
      onChange={(date) => onChange(date ? date.toString() : '')}
    >
      <Label>{label}</Label>
      <DateInput className="date-input">
        {(segment) => <DateSegment segment={segment} className="date-segment" />}
      </DateInput>
      {error}
    </AriaDateField>
  );
}

/** React Aria formats (date segments, numbers) in the UI's language. */
export function AriaLocale({ children }: { children: ReactNode }) {
  const { locale } = useI18n();
  return <I18nProvider locale={locale}>{children}</I18nProvider>;
}
