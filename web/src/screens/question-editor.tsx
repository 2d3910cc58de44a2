// Adding and editing a question: type, text, answer options with codes, matrix rows, scale range.
import { useId, useState, type FormEvent } from 'react';
import { ErrorBox, Field } from '../components';
import { useI18n, type MessageKey } from '../lib/i18n';
import { QUESTION_TYPES, type Question, type QuestionType } from '../lib/types';

export interface QuestionBody {
  type: QuestionType;
  text: string;
  options: { id?: string; text: string; code: number }[];
  rows: { id?: string; text: string }[];
  min: number | null;
  max: number | null;
}

interface DraftOption {
  key: number;
  id?: string | undefined;
  text: string;
  code: string;
}
interface DraftRow {
  key: number;
  id?: string | undefined;
  text: string;
}

const usesOptions = (t: QuestionType) => t === 'single_choice' || t === 'multiple_choice' || t === 'matrix';
let nextKey = 1;
const key = () => nextKey++;

export function QuestionEditor({
  initial,
  onSave,
  onCancel,
}: {
  initial: Question | null;
  onSave(body: QuestionBody): Promise<void>;
  onCancel(): void;
}) {
  const { t } = useI18n();
  const typeId = useId();
  const [type, setType] = useState<QuestionType>(initial?.type ?? 'single_choice');
  const [text, setText] = useState(initial?.text ?? '');
  const [options, setOptions] = useState<DraftOption[]>(
    initial && initial.options.length > 0
      ? initial.options.map((o) => ({ key: key(), id: o.id, text: o.text, code: String(o.code) }))
      : [
          { key: key(), text: '', code: '1' },
          { key: key(), text: '', code: '2' },
        ],
  );
  const [rows, setRows] = useState<DraftRow[]>(
    initial && initial.rows.length > 0
      ? initial.rows.map((r) => ({ key: key(), id: r.id, text: r.text }))
      : [{ key: key(), text: '' }],
  );
  const [min, setMin] = useState(initial?.min != null ? String(initial.min) : '1');
  const [max, setMax] = useState(initial?.max != null ? String(initial.max) : '5');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const withOptions = usesOptions(type);
  const isInt = (s: string) => /^-?\d+$/.test(s.trim());
  const problems: Record<string, string> = {};
  if (text.trim() === '') problems.text = t('validation.required');
  else if (text.trim().length > 1000) problems.text = t('validation.max', { max: 1000 });
  if (withOptions) {
    const seen = new Set<string>();
    // Two options reading the same ("Bra" / " bra ") could not be told apart; the server refuses them too.
    const texts = new Set<string>();
    options.forEach((o) => {
      const same = o.text.trim().toLocaleLowerCase('nb');
      if (o.text.trim() === '') problems[`o${o.key}`] = t('validation.required');
      else if (texts.has(same)) problems[`o${o.key}`] = t('question.textDuplicate');
      texts.add(same);
      if (!isInt(o.code)) problems[`c${o.key}`] = t('question.codeInteger');
      else if (seen.has(o.code.trim())) problems[`c${o.key}`] = t('question.codeDuplicate');
      seen.add(o.code.trim());
    });
  }
  if (type === 'matrix') {
    const texts = new Set<string>();
    rows.forEach((r) => {
      const same = r.text.trim().toLocaleLowerCase('nb');
      if (r.text.trim() === '') problems[`r${r.key}`] = t('validation.required');
      else if (texts.has(same)) problems[`r${r.key}`] = t('question.rowDuplicate');
      texts.add(same);
    });
  }
  if (type === 'scale') {
    if (!isInt(min)) problems.min = t('question.integer');
    if (!isInt(max)) problems.max = t('question.integer');
    if (isInt(min) && isInt(max)) {
      if (Number(max) <= Number(min)) problems.max = t('question.maxAboveMin');
      else if (Number(max) - Number(min) > 1000) problems.max = t('question.spanTooLarge');
    }
  }
  const show = (k: string) => (touched ? problems[k] : undefined);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTouched(true);
    if (Object.keys(problems).length > 0) return;
    setBusy(true);
    setError(null);
    try {
      await onSave({
        type,
        text: text.trim(),
        options: withOptions
          ? options.map((o) => ({ ...(o.id ? { id: o.id } : {}), text: o.text.trim(), code: Number(o.code) }))
          : [],
        rows:
          type === 'matrix' ? rows.map((r) => ({ ...(r.id ? { id: r.id } : {}), text: r.text.trim() })) : [],
        min: type === 'scale' ? Number(min) : null,
        max: type === 'scale' ? Number(max) : null,
      });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  const addOption = () => {
    const codes = options.map((o) => Number(o.code)).filter(Number.isInteger);
    setOptions([
      ...options,
      { key: key(), text: '', code: String(codes.length ? Math.max(...codes) + 1 : 1) },
    ]);
  };

  return (
    <form className="card editor" onSubmit={(e) => void submit(e)} noValidate>
      <h3>{initial ? t('question.edit') : t('question.add')}</h3>
      <div className="field">
        <label htmlFor={typeId}>{t('question.type')}</label>
        <select id={typeId} value={type} onChange={(e) => setType(e.target.value as QuestionType)}>
          {QUESTION_TYPES.map((qt) => (
            <option key={qt} value={qt}>
              {t(`type.${qt}` as MessageKey)}
            </option>
          ))}
        </select>
      </div>
      <Field
        label={t('question.text')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        error={show('text')}
      />
      {withOptions && (
        <fieldset>
          <legend>{t('question.options')}</legend>
          {options.map((o, i) => (
            <div className="option-row" key={o.key}>
              <Field
                className="grow"
                label={t('question.optionText', { n: i + 1 })}
                value={o.text}
                onChange={(e) =>
                  setOptions(options.map((x) => (x.key === o.key ? { ...x, text: e.target.value } : x)))
                }
                error={show(`o${o.key}`)}
              />
              <Field
                className="code"
                label={t('question.code')}
                inputMode="numeric"
                value={o.code}
                onChange={(e) =>
                  setOptions(options.map((x) => (x.key === o.key ? { ...x, code: e.target.value } : x)))
                }
                error={show(`c${o.key}`)}
              />
              <button
                type="button"
                className="btn btn-small"
                disabled={options.length <= 1}
                onClick={() => setOptions(options.filter((x) => x.key !== o.key))}
              >
                {t('common.remove')}
                <span className="visually-hidden"> {t('question.optionText', { n: i + 1 })}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={addOption}
            disabled={options.length >= 100}
          >
            {t('question.addOption')}
          </button>
        </fieldset>
      )}
      {type === 'matrix' && (
        <fieldset>
          <legend>{t('question.rows')}</legend>
          {rows.map((r, i) => (
            <div className="option-row" key={r.key}>
              <Field
                className="grow"
                label={t('question.rowText', { n: i + 1 })}
                value={r.text}
                onChange={(e) =>
                  setRows(rows.map((x) => (x.key === r.key ? { ...x, text: e.target.value } : x)))
                }
                error={show(`r${r.key}`)}
              />
              <button
                type="button"
                className="btn btn-small"
                disabled={rows.length <= 1}
                onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
              >
                {t('common.remove')}
                <span className="visually-hidden"> {t('question.rowText', { n: i + 1 })}</span>
              </button>
            </div>
          ))}
          <button
            type="button"
            className="btn btn-small"
            onClick={() => setRows([...rows, { key: key(), text: '' }])}
            disabled={rows.length >= 100}
          >
            {t('question.addRow')}
          </button>
        </fieldset>
      )}
      {type === 'scale' && (
        <div className="option-row">
          <Field
            label={t('question.min')}
            inputMode="numeric"
            value={min}
            onChange={(e) => setMin(e.target.value)}
            error={show('min')}
          />
          <Field
            label={t('question.max')}
            inputMode="numeric"
            value={max}
            onChange={(e) => setMax(e.target.value)}
            error={show('max')}
          />
        </div>
      )}
      <ErrorBox error={error} />
      <div className="actions">
        <button type="submit" className="btn btn-primary" disabled={busy}>
          {t('common.save')}
        </button>
        <button type="button" className="btn" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
