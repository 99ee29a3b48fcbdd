import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorBody } from '../../../shared/errors.js';
import type { LeadSubmitInput, LeadType } from '../../../shared/lead.js';
import { paintOf, type Vehicle } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { newLeadId, type Outbox, type OutboxEntry } from '../../net/outbox.js';
import { NAME_KEY } from '../qa/AskForm.js';
import { DealerPicker } from './DealerPicker.js';
import {
  errorsFromIssues,
  FIELD_ORDER,
  latestDayIso,
  loadContact,
  localStore,
  saveContact,
  todayIso,
  toSubmission,
  validateLead,
  type FieldErrors,
  type LeadField,
  type LeadFormValues,
} from './leadForm.js';

/** A refused request's payload back into the form, so the viewer only fixes what is wrong. */
function valuesFrom(p: LeadSubmitInput, vehicle: Vehicle, fallbackVariant: string): LeadFormValues {
  // Optional fields are `unknown` in the schema's input type (blank strings are preprocessed).
  const text = (x: unknown) => (typeof x === 'string' ? x : '');
  return {
    firstName: p.firstName,
    lastName: p.lastName,
    email: p.email,
    phone: text(p.phone),
    postcode: text(p.postcode),
    dealerId: text(p.dealerId) || null,
    preferredDate: text(p.preferredDate),
    variant: vehicle.variants.find((v) => v.name === p.variant)?.id ?? fallbackVariant,
    message: text(p.message),
    contact: p.consent.contact === true,
    marketing: p.consent.marketing === true,
  };
}

function freshValues(variant: string): LeadFormValues {
  const store = localStore();
  const remembered = loadContact(store);
  let firstName = remembered.firstName ?? '';
  // The first name given when entering the launch, if this device never filled a form.
  if (!firstName) {
    try {
      firstName = store?.getItem(NAME_KEY) ?? '';
    } catch {
      /* nothing to offer */
    }
  }
  return {
    firstName,
    lastName: remembered.lastName ?? '',
    email: remembered.email ?? '',
    phone: remembered.phone ?? '',
    postcode: remembered.postcode ?? '',
    dealerId: null,
    preferredDate: '',
    variant,
    message: '',
    contact: false,
    marketing: false,
  };
}

function refusalErrors(error: ErrorBody, payload: LeadSubmitInput): FieldErrors {
  if (error.code === 'invalid_payload') {
    const errors = errorsFromIssues(error.issues ?? [], payload);
    return Object.keys(errors).length > 0 ? errors : { form: 'lead.error.refused' };
  }
  return { form: error.code === 'conflict' ? 'lead.error.conflict' : 'lead.error.refused' };
}

export interface LeadFormProps {
  code: string;
  eventId: string;
  type: LeadType;
  vehicle: Vehicle;
  /** The variant the presenter is showing: the form starts on it. */
  presentedVariant: string;
  /** Read on every render: the page re-renders on each outbox change (useLeadOutbox). */
  outbox: Outbox;
  retry?: { entry: OutboxEntry; error: ErrorBody };
  onSent: (id: string) => void;
}

/**
 * One form for the four requests; what each asks for differs (a call back needs a phone, a
 * test drive takes a date). Validation is the server's own schema; the request goes through
 * the outbox, so "Envoyé" only ever shows once the server has it.
 */
export function LeadForm({ code, eventId, type, vehicle, presentedVariant, outbox, retry, onSent }: LeadFormProps) {
  const { t } = useI18n();
  const ids = useId();
  const startVariant = paintOf(vehicle, presentedVariant).id;
  const [values, setValues] = useState<LeadFormValues>(() => (retry ? valuesFrom(retry.entry.payload, vehicle, startVariant) : freshValues(startVariant)));
  const [errors, setErrors] = useState<FieldErrors>(() => (retry ? refusalErrors(retry.error, retry.entry.payload) : {}));
  const [submitted, setSubmitted] = useState<{ id: string; payload: LeadSubmitInput } | null>(null);
  const today = todayIso();
  const form = useRef<HTMLFormElement>(null);

  const status = submitted ? outbox.status(submitted.id) : null;
  const sending = status?.kind === 'pending';

  const focusFirstError = useCallback(
    (errs: FieldErrors) => {
      const first = FIELD_ORDER.find((f) => errs[f]);
      // A refused dealer: its radio is about to leave the refreshed list, "no preference" stays.
      const el = first === 'dealerId' ? form.current?.querySelector<HTMLElement>('.lead-dealers input') : first ? document.getElementById(`${ids}-${first}`) : null;
      // After the re-render that enables the fields again.
      requestAnimationFrame(() => (el ?? document.getElementById(`${ids}-form-error`))?.focus());
    },
    [ids],
  );

  useEffect(() => {
    if (!submitted || !status) return;
    if (status.kind === 'sent') {
      onSent(submitted.id);
    } else if (status.kind === 'refused') {
      // Nothing was stored: the form stays, the fields in error say why, the next try gets a new id.
      const errs = refusalErrors(status.error, submitted.payload);
      setErrors(errs);
      setSubmitted(null);
      outbox.dismiss(submitted.id);
      focusFirstError(errs);
    }
  }, [status, submitted, onSent, outbox, focusFirstError]);

  useEffect(() => {
    if (retry) {
      outbox.dismiss(retry.entry.id);
      focusFirstError(refusalErrors(retry.error, retry.entry.payload));
    }
    // Once, for the refusal this form was opened for.
  }, [retry, outbox, focusFirstError]);

  // Fixing a field clears its message (and the summary with the last one); the others stay until the next try.
  const clearError = useCallback((field: LeadField) => {
    setErrors((cur) => {
      if (!cur[field]) return cur;
      const { [field]: _gone, ...rest } = cur;
      return Object.keys(rest).some((k) => k !== 'form') ? rest : {};
    });
  }, []);
  const set = <K extends keyof LeadFormValues>(key: K, value: LeadFormValues[K]) => {
    setValues((v) => ({ ...v, [key]: value }));
    if (key !== 'marketing') clearError(key as LeadField);
  };
  const onDealer = useCallback(
    (dealerId: string | null) => {
      setValues((v) => (v.dealerId === dealerId ? v : { ...v, dealerId }));
      clearError('dealerId');
    },
    [clearError],
  );

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const variantName = vehicle.variants.find((v) => v.id === values.variant)?.name ?? null;
    const payload = toSubmission(newLeadId(), type, values, variantName);
    const errs = validateLead(payload, today);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return focusFirstError(errs);
    saveContact(localStore(), values);
    setSubmitted({ id: payload.id, payload });
    outbox.submit(payload);
  };

  const phoneRequired = type === 'callback';
  const field = (name: LeadField) => ({
    id: `${ids}-${name}`,
    'aria-invalid': errors[name] ? true : undefined,
    'aria-describedby': errors[name] ? `${ids}-${name}-error` : undefined,
  });
  const errorOf = (name: LeadField) => (errors[name] ? <p id={`${ids}-${name}-error`} className="error lead-field-error">{t(errors[name])}</p> : null);
  const label = (name: LeadField, key: MessageKey, optional = false): ReactNode => (
    <label htmlFor={`${ids}-${name}`}>
      {t(key)}
      {optional ? <span className="lead-optional"> {t('lead.optional')}</span> : null}
    </label>
  );
  const paint = vehicle.variants.find((v) => v.id === values.variant);

  return (
    <form ref={form} className="lead-form" onSubmit={submit} noValidate aria-busy={sending}>
      <fieldset className="lead-fields" disabled={sending}>
        <div className="lead-row">
          <div className="lead-field">
            {label('firstName', 'lead.firstName')}
            <input {...field('firstName')} value={values.firstName} onChange={(e) => set('firstName', e.target.value)} autoComplete="given-name" autoCapitalize="words" maxLength={80} required />
            {errorOf('firstName')}
          </div>
          <div className="lead-field">
            {label('lastName', 'lead.lastName')}
            <input {...field('lastName')} value={values.lastName} onChange={(e) => set('lastName', e.target.value)} autoComplete="family-name" autoCapitalize="words" maxLength={80} required />
            {errorOf('lastName')}
          </div>
        </div>
        <div className="lead-field">
          {label('email', 'lead.email')}
          <input
            {...field('email')}
            type="email"
            inputMode="email"
            autoComplete="email"
            autoCapitalize="off"
            spellCheck={false}
            placeholder={t('lead.emailPlaceholder')}
            value={values.email}
            onChange={(e) => set('email', e.target.value)}
            maxLength={254}
            required
          />
          {errorOf('email')}
        </div>
        <div className="lead-row lead-row-phone">
          <div className="lead-field">
            {label('phone', 'lead.phone', !phoneRequired)}
            <input
              {...field('phone')}
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder={t('lead.phonePlaceholder')}
              value={values.phone}
              onChange={(e) => set('phone', e.target.value)}
              maxLength={32}
              required={phoneRequired}
            />
            {errorOf('phone')}
          </div>
          <div className="lead-field">
            {label('postcode', 'lead.postcode', true)}
            <input
              {...field('postcode')}
              aria-describedby={[errors.postcode ? `${ids}-postcode-error` : '', `${ids}-postcode-hint`].filter(Boolean).join(' ')}
              inputMode="numeric"
              autoComplete="postal-code"
              pattern="[0-9]*"
              placeholder="69003"
              value={values.postcode}
              onChange={(e) => set('postcode', e.target.value.replace(/\D/g, '').slice(0, 5))}
              maxLength={5}
            />
            {errorOf('postcode')}
          </div>
        </div>
        <p id={`${ids}-postcode-hint`} className="hint lead-postcode-hint">{t('lead.postcodeHint')}</p>
        <DealerPicker eventId={eventId} postcode={values.postcode} value={values.dealerId} onChange={onDealer} disabled={sending} error={errors.dealerId ? t(errors.dealerId) : null} />
        {type === 'test_drive' ? (
          <div className="lead-field">
            {label('preferredDate', 'lead.date', true)}
            <input {...field('preferredDate')} type="date" min={today} max={latestDayIso(today)} value={values.preferredDate} onChange={(e) => set('preferredDate', e.target.value)} />
            {errorOf('preferredDate')}
          </div>
        ) : null}
        <div className="lead-field">
          {label('variant', 'lead.variant')}
          <div className="lead-variant">
            <span className="lead-variant-swatch" style={{ background: paint?.color }} aria-hidden="true" />
            <select {...field('variant')} value={values.variant} onChange={(e) => set('variant', e.target.value)}>
              {vehicle.variants.map((v) => (
                <option key={v.id} value={v.id}>{v.name}</option>
              ))}
            </select>
          </div>
          {errorOf('variant')}
        </div>
        <div className="lead-field">
          {label('message', 'lead.message', true)}
          <textarea {...field('message')} rows={2} maxLength={1000} placeholder={t(`lead.messagePlaceholder.${type}`)} value={values.message} onChange={(e) => set('message', e.target.value)} />
          {errorOf('message')}
        </div>
        <div className="lead-consents">
          <div className="lead-check">
            <input {...field('contact')} type="checkbox" checked={values.contact} onChange={(e) => set('contact', e.target.checked)} required />
            <label htmlFor={`${ids}-contact`}>{t('lead.consent.contact')}</label>
          </div>
          {errorOf('contact')}
          <div className="lead-check">
            <input id={`${ids}-marketing`} type="checkbox" checked={values.marketing} onChange={(e) => set('marketing', e.target.checked)} />
            <label htmlFor={`${ids}-marketing`}>{t('lead.consent.marketing')}</label>
          </div>
          <p className="hint lead-privacy-link">
            <a href={`/e/${encodeURIComponent(code)}/privacy`} target="_blank" rel="noopener">
              {t('lead.privacyLink')} <span className="visually-hidden">{t('lead.newTab')}</span>
              <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path d="M9 3h4v4M13 3 7.5 8.5M12 9.5V13H3V4h3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
            </a>
          </p>
        </div>
      </fieldset>
      <div className="lead-submit-bar">
        <p id={`${ids}-form-error`} className="error" role="alert" tabIndex={-1}>{errors.form ? t(errors.form) : null}</p>
        {sending && status.failedAttempts > 0 ? <p className="hint lead-offline" role="status">{t('lead.offline')}</p> : null}
        <button className="btn btn-primary btn-block lead-submit" disabled={sending}>
          {sending ? (
            <>
              <span className="lead-spinner" aria-hidden="true" />
              {t('lead.sending')}
            </>
          ) : (
            t(`lead.submit.${type}`)
          )}
        </button>
      </div>
    </form>
  );
}
