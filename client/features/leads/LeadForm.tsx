import { useCallback, useEffect, useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { ErrorBody } from '../../../shared/errors.js';
import type { LeadSubmitInput, LeadType } from '../../../shared/lead.js';
import { variantOf, type Vehicle } from '../../../shared/vehicle.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { newLeadId, type Outbox, type OutboxEntry } from '../../net/outbox.js';
import { DealerPicker, type DealerChange } from './DealerPicker.js';
import { freshValues, refusalErrors, retryNotice, valuesFrom } from './formValues.js';
import { LeadConsents } from './LeadConsents.js';
import { FIELD_ORDER, latestDayIso, localStore, rememberContact, todayIso, toSubmission, validateLead, type FieldErrors, type LeadField, type LeadFormValues } from './leadForm.js';

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
  /** A request of this type still being sent: the form shows it on its way, not a blank form. */
  resume?: OutboxEntry;
  onSent: (id: string) => void;
}

/**
 * One form for the four requests; what each asks for differs (a call back needs a phone, a
 * test drive takes a date). Validation is the server's own schema; the request goes through
 * the outbox, so "Envoyée" only ever shows once the server has it.
 */
export function LeadForm({ code, eventId, type, vehicle, presentedVariant, outbox, retry, resume, onSent }: LeadFormProps) {
  const { t } = useI18n();
  const ids = useId();
  const startVariant = variantOf(vehicle, presentedVariant)?.id ?? vehicle.variants[0]?.id ?? '';
  // Every vehicle names its variants (the demo's paints, a model's own or the studio's).
  const paintsApply = vehicle.variants.length > 0;
  const [values, setValues] = useState<LeadFormValues>(() => {
    const from = retry?.entry.payload ?? resume?.payload;
    return from ? valuesFrom(from, vehicle, startVariant) : freshValues(startVariant);
  });
  const [errors, setErrors] = useState<FieldErrors>(() => (retry ? refusalErrors(retry.error, retry.entry.payload) : {}));
  const [submitted, setSubmitted] = useState<{ id: string; payload: LeadSubmitInput } | null>(() => (resume ? { id: resume.id, payload: resume.payload } : null));
  /** The refused request this form corrects: kept on the device until the correction is stored. */
  const [correcting, setCorrecting] = useState<string | null>(retry?.entry.id ?? null);
  const [resumed, setResumed] = useState(resume !== undefined);
  // Unticked on every form: on a shared tablet, nobody's details are kept without them asking.
  const [remember, setRemember] = useState(false);
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
      // Refused for good (invalid fields, or an id the server holds with another request): the
      // form stays, the fields in error say why; the corrected request goes under a new id and
      // replaces the refused one, which the outbox keeps until then.
      const errs = refusalErrors(status.error, submitted.payload);
      setErrors(errs);
      setCorrecting(submitted.id);
      setSubmitted(null);
      setResumed(false);
      focusFirstError(errs);
    }
  }, [status, submitted, onSent, focusFirstError]);

  useEffect(() => {
    if (retry) focusFirstError(refusalErrors(retry.error, retry.entry.payload));
    // Once, for the refusal this form was opened for.
  }, [retry, focusFirstError]);

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
    (dealerId: string | null, why: DealerChange) => {
      setValues((v) => (v.dealerId === dealerId ? v : { ...v, dealerId }));
      // A dealer that left the list: its message stays until the viewer picks again.
      if (why === 'picked') clearError('dealerId');
    },
    [clearError],
  );
  /** Deliberately, from a request still on its way: a new one, with a new id. */
  const another = () => {
    setSubmitted(null);
    setResumed(false);
    setErrors({});
    setValues(freshValues(startVariant));
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const variantName = paintsApply ? (vehicle.variants.find((v) => v.id === values.variant)?.name ?? null) : null;
    const payload = toSubmission(newLeadId(), type, values, variantName);
    const errs = validateLead(payload, today);
    setErrors(errs);
    if (Object.keys(errs).length > 0) return focusFirstError(errs);
    rememberContact(localStore(), values, remember);
    setSubmitted({ id: payload.id, payload });
    outbox.submit(payload, correcting ? { replaces: correcting } : {});
    setCorrecting(null);
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
            {label('postcode', 'lead.postcode')}
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
        {paintsApply ? (
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
        ) : null}
        <div className="lead-field">
          {label('message', 'lead.message', true)}
          <textarea {...field('message')} rows={2} maxLength={1000} placeholder={t(`lead.messagePlaceholder.${type}`)} value={values.message} onChange={(e) => set('message', e.target.value)} />
          {errorOf('message')}
        </div>
        <LeadConsents
          ids={ids}
          code={code}
          values={values}
          remember={remember}
          onRemember={setRemember}
          onChange={(key, checked) => set(key, checked)}
          contactField={field('contact')}
          contactError={errorOf('contact')}
        />
      </fieldset>
      <div className="lead-submit-bar">
        <p id={`${ids}-form-error`} className="error" role="alert" tabIndex={-1}>{errors.form ? t(errors.form) : null}</p>
        {sending && status.failedAttempts > 0 ? <p className="hint lead-offline" role="status">{t(retryNotice(status.lastError))}</p> : null}
        {sending && resumed ? (
          // Reopened while still on its way: said once (the retry notice says it when there is one).
          <p className="hint lead-resumed">
            {status.failedAttempts > 0 ? null : <span role="status">{t('lead.pendingAlready')} </span>}
            <button type="button" className="lead-link-btn" onClick={another}>{t('lead.done.another')}</button>
          </p>
        ) : null}
        {/* aria-disabled, not disabled: the keyboard's focus stays here while the request is on its way. */}
        <button className="btn btn-primary btn-block lead-submit" aria-disabled={sending}>
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
