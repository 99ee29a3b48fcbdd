import { useId, useState, type FormEvent } from 'react';
import { DealerInput, type DealerAdmin } from '../../../shared/lead.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, ApiIssuesError, eventLeadSettings } from '../../net/api.js';
import { displayPhone } from '../dealer/leads.view.js';
import { describeIssue, normaliseDecimal, splitCoordinates, type DirectoryField } from './directory.js';

type Values = Record<DirectoryField, string>;

const fromDealer = (d: DealerAdmin | null): Values => ({
  id: d?.id ?? '',
  name: d?.name ?? '',
  address: d?.address ?? '',
  postcode: d?.postcode ?? '',
  city: d?.city ?? '',
  latitude: d ? String(d.latitude) : '',
  longitude: d ? String(d.longitude) : '',
  email: d?.email ?? '',
  phone: d?.phone ? displayPhone(d.phone) : '',
});

/** How each field is laid out: the grid reads like an address label. */
const LAYOUT: { field: DirectoryField; type?: string; wide?: boolean; autoComplete?: string; inputMode?: 'decimal' | 'numeric' | 'email' | 'tel' }[] = [
  { field: 'id' },
  { field: 'name', wide: true, autoComplete: 'organization' },
  { field: 'address', wide: true, autoComplete: 'street-address' },
  { field: 'postcode', inputMode: 'numeric', autoComplete: 'postal-code' },
  { field: 'city', autoComplete: 'address-level2' },
  { field: 'latitude', inputMode: 'decimal' },
  { field: 'longitude', inputMode: 'decimal' },
  { field: 'email', type: 'email', inputMode: 'email', autoComplete: 'email' },
  { field: 'phone', type: 'tel', inputMode: 'tel', autoComplete: 'tel' },
];

/** Add (`initial` null) or edit one dealer: checked here with the shared schema, then by the server. */
export function DealerForm({ eventId, token, initial, onSaved, onCancel }: {
  eventId: string;
  token: string;
  initial: DealerAdmin | null;
  onSaved: (d: DealerAdmin) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const uid = useId();
  const [values, setValues] = useState<Values>(() => fromDealer(initial));
  const [invalid, setInvalid] = useState<Partial<Record<DirectoryField, true>>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  function change(field: DirectoryField, value: string) {
    // A map's "45.7640, 4.8357" pasted into latitude fills both.
    const pair = field === 'latitude' ? splitCoordinates(value) : null;
    setValues((v) => (pair ? { ...v, ...pair } : { ...v, [field]: value }));
    setInvalid((cur) => ({ ...cur, [field]: undefined, ...(pair ? { longitude: undefined } : {}) }));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const payload = { ...values, latitude: normaliseDecimal(values.latitude), longitude: normaliseDecimal(values.longitude) };
    const checked = DealerInput.safeParse(payload);
    if (!checked.success) {
      setInvalid(Object.fromEntries(checked.error.issues.map((i) => [i.path[0], true])));
      setError(t('studio.dealers.fixFields'));
      return;
    }
    setBusy(true);
    try {
      const { dealer } = await eventLeadSettings.saveDealer(eventId, token, payload);
      onSaved(dealer);
    } catch (err) {
      if (err instanceof ApiIssuesError) {
        const fields = err.issues.map((i) => describeIssue(i).field).filter((f) => f !== null);
        setInvalid(Object.fromEntries(fields.map((f) => [f, true])));
        setError(fields.length ? t('studio.dealers.fixFields') : err.message);
      } else setError(t(err instanceof ApiError ? errorKey(err.code) : 'error.internal'));
    } finally {
      setBusy(false);
    }
  }

  const title = initial ? t('studio.dealers.editTitle', { name: initial.name }) : t('studio.dealers.add');
  return (
    <form className="dealer-form" onSubmit={(e) => void submit(e)} aria-labelledby={`${uid}-title`} noValidate>
      <h4 id={`${uid}-title`}>{title}</h4>
      <div className="dealer-form-grid">
        {LAYOUT.map(({ field, type, wide, autoComplete, inputMode }) => {
          const id = `${uid}-${field}`;
          const hint = field === 'id' ? t('studio.dealers.idHint') : field === 'latitude' ? t('studio.dealers.coordsHint') : null;
          const bad = invalid[field] === true;
          return (
            <div key={field} className={`field${wide ? ' field-wide' : ''}${field === 'latitude' ? ' field-coords' : ''}`}>
              <label htmlFor={id}>{t(`studio.dealers.field.${field}`)}</label>
              <input
                id={id}
                type={type ?? 'text'}
                inputMode={inputMode}
                autoComplete={autoComplete ?? 'off'}
                value={values[field]}
                disabled={field === 'id' && initial !== null}
                onChange={(e) => change(field, e.target.value)}
                aria-invalid={bad}
                aria-describedby={[bad ? `${id}-rule` : '', hint ? `${id}-hint` : ''].join(' ').trim() || undefined}
              />
              {bad ? <p id={`${id}-rule`} className="error field-rule">{t(`studio.dealers.rule.${field}`)}</p> : null}
              {hint ? <p id={`${id}-hint`} className="hint">{hint}</p> : null}
            </div>
          );
        })}
      </div>
      <div className="dealer-form-actions">
        <button className="btn btn-primary" disabled={busy}>{t('studio.dealers.save')}</button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>{t('studio.dealers.cancel')}</button>
        <p className="error" role="alert">{error}</p>
      </div>
    </form>
  );
}
