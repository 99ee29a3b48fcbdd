import type { ReactNode } from 'react';
import { useI18n } from '../../i18n/i18n.js';
import type { LeadFormValues } from './leadForm.js';

/**
 * The foot of the lead form: the two consents (recorded with the lead, by wording version),
 * the privacy notice, and whether this device may remember the viewer's details (not a consent
 * to anything the server does: it only decides what the next form on this device offers).
 */
export function LeadConsents({
  ids,
  code,
  values,
  remember,
  onRemember,
  onChange,
  contactField,
  contactError,
}: {
  ids: string;
  code: string;
  values: Pick<LeadFormValues, 'contact' | 'marketing'>;
  remember: boolean;
  onRemember: (remember: boolean) => void;
  onChange: (key: 'contact' | 'marketing', checked: boolean) => void;
  /** The contact box's id and aria attributes (the form's field helper). */
  contactField: { id: string; 'aria-invalid': boolean | undefined; 'aria-describedby': string | undefined };
  contactError: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <div className="lead-consents">
      <div className="lead-check">
        <input {...contactField} type="checkbox" checked={values.contact} onChange={(e) => onChange('contact', e.target.checked)} required />
        <label htmlFor={contactField.id}>{t('lead.consent.contact')}</label>
      </div>
      {contactError}
      <div className="lead-check">
        <input id={`${ids}-marketing`} type="checkbox" checked={values.marketing} onChange={(e) => onChange('marketing', e.target.checked)} />
        <label htmlFor={`${ids}-marketing`}>{t('lead.consent.marketing')}</label>
      </div>
      <div className="lead-check lead-remember">
        <input id={`${ids}-remember`} type="checkbox" checked={remember} onChange={(e) => onRemember(e.target.checked)} />
        <label htmlFor={`${ids}-remember`}>{t('lead.remember')}</label>
      </div>
      <p className="hint lead-privacy-link">
        <a href={`/e/${encodeURIComponent(code)}/privacy`} target="_blank" rel="noopener">
          {t('lead.privacyLink')} <span className="visually-hidden">{t('lead.newTab')}</span>
          <svg viewBox="0 0 16 16" width="12" height="12" aria-hidden="true"><path d="M9 3h4v4M13 3 7.5 8.5M12 9.5V13H3V4h3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" /></svg>
        </a>
      </p>
    </div>
  );
}
