import { useEffect, useState } from 'react';
import { Loading } from '../../App.js';
import { useI18n } from '../../i18n/i18n.js';
import type { MessageKey } from '../../i18n/messages.js';
import { isPrivacyPage, privacyContactHref, type EventPrivacy } from '../../../shared/lead.js';
import { ApiError, eventLeadSettings } from '../../net/api.js';
import { useBrandTheme } from '../brand/useBrandTheme.js';
import { TopBar } from '../common/Brand.js';
import './leads.css';


/** The notice every event has until its organiser writes its own (`PATCH /api/events/:id`). */
const DEFAULT_SECTIONS: [MessageKey, MessageKey][] = [
  ['lead.privacy.whoTitle', 'lead.privacy.who'],
  ['lead.privacy.whyTitle', 'lead.privacy.why'],
  ['lead.privacy.whatTitle', 'lead.privacy.what'],
  ['lead.privacy.howLongTitle', 'lead.privacy.howLong'],
  ['lead.privacy.rightsTitle', 'lead.privacy.rights'],
];

/** `/e/:code/privacy`: the privacy notice the lead form links to (opened in a new tab). */
export default function PrivacyPage({ code }: { code: string }) {
  const { t } = useI18n();
  const [privacy, setPrivacy] = useState<EventPrivacy | null>(null);
  const [failure, setFailure] = useState<MessageKey | null>(null);

  // The page wears the launch's brand, like the viewer page it is opened from.
  useBrandTheme(privacy?.brand);
  useEffect(() => {
    eventLeadSettings.privacy(code).then(setPrivacy, (err: unknown) => setFailure(err instanceof ApiError && err.status === 404 ? 'viewer.notFound' : 'error.network'));
  }, [code]);

  if (failure) {
    return (
      <div className="page">
        <TopBar />
        <main className="center-page">
          <p className="error" role="alert">{t(failure)}</p>
        </main>
      </div>
    );
  }
  if (!privacy) return <Loading />;
  const months = privacy.retentionMonths;
  const brandName = privacy.brand.name?.trim() || null;
  const contact = privacy.privacyContact ? (
    <p className="privacy-text privacy-contact">
      {t('lead.privacy.contact')}{' '}
      <a href={privacyContactHref(privacy.privacyContact)} {...(isPrivacyPage(privacy.privacyContact) ? { target: '_blank', rel: 'noopener noreferrer' } : {})}>
        {privacy.privacyContact}
      </a>
    </p>
  ) : null;
  // The organiser's text is user input: plain paragraphs, never markup.
  const paragraphs = privacy.privacyNotice
    ?.split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);

  return (
    <div className="page">
      <TopBar />
      <main className="privacy">
        <p className="eyebrow">{privacy.title}</p>
        <h1>{t('lead.privacy.title')}</h1>
        {paragraphs && paragraphs.length > 0 ? (
          <>
            {paragraphs.map((p, i) => (
              <p key={i} className="privacy-text">{p}</p>
            ))}
            <p className="privacy-retention">{t('lead.privacy.retention', { months })}</p>
            {contact}
          </>
        ) : (
          DEFAULT_SECTIONS.map(([title, body]) => (
            <section key={title} className="privacy-section">
              <h2>{t(title)}</h2>
              <p className="privacy-text">{body === 'lead.privacy.who' && brandName ? t('lead.privacy.whoBrand', { brand: brandName }) : t(body, { months })}</p>
              {body === 'lead.privacy.rights' ? contact : null}
            </section>
          ))
        )}
        <a className="btn btn-ghost privacy-back" href={`/e/${encodeURIComponent(code)}`}>{t('lead.privacy.back')}</a>
      </main>
    </div>
  );
}
