import { useState } from 'react';
import type { Ack } from '../../../shared/errors.js';
import { LEAD_TYPES } from '../../../shared/lead.js';
import type { CtaKind } from '../../../shared/presentation.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import type { LiveRoom } from '../../net/liveRoom.js';
import './leads.css';
import { LeadIcon } from './RequestChoices.js';

/**
 * The presenter pushes a call to action to every viewer (and takes it back). What is on
 * screen comes from `state` (the server's word), not from the last button pressed.
 */
export function HostCtaControls({ open, send }: { open: CtaKind | null; send: LiveRoom['send'] }) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // The buttons stay enabled (aria-disabled) while a command travels: disabling the pressed one
  // would drop the keyboard's focus to <body>.
  const run = async (command: () => Promise<Ack>) => {
    if (busy) return;
    setBusy(true);
    const res = await command();
    setBusy(false);
    setError(res.ok ? null : t(errorKey(res.error.code === 'internal' && res.error.message === 'timeout' ? 'network' : res.error.code)));
  };

  return (
    <fieldset className="host-cta" aria-describedby="host-cta-hint">
      <legend>
        {t('lead.host.legend')}
        {open ? <span className="host-cta-live"> — {t('lead.host.showing', { type: t(`lead.type.${open}`) })}</span> : null}
      </legend>
      <div className="host-cta-grid">
        {LEAD_TYPES.map((kind) => (
          <button
            key={kind}
            type="button"
            className="host-cta-btn"
            aria-pressed={open === kind}
            aria-disabled={busy}
            onClick={() => void run(() => send('cta:open', { kind }))}
          >
            <LeadIcon type={kind} size={18} />
            {t(`lead.type.${kind}`)}
          </button>
        ))}
      </div>
      {open ? (
        <button type="button" className="btn btn-ghost btn-small btn-block" aria-disabled={busy} onClick={() => void run(() => send('cta:close', {}))}>
          {t('lead.host.close')}
        </button>
      ) : null}
      <p id="host-cta-hint" className="hint">{t('lead.host.hint')}</p>
      <p className="error" role="alert">{error}</p>
    </fieldset>
  );
}
