import { useEffect, useId, useState, type ChangeEvent } from 'react';
import type { ValidationIssue } from '../../../shared/errors.js';
import type { DealerAdmin } from '../../../shared/lead.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, ApiIssuesError, eventLeadSettings } from '../../net/api.js';
import { CopyButton } from '../common/widgets.js';
import { saveFile } from '../dealer/download.js';
import { displayPhone } from '../dealer/leads.view.js';
import { DealerForm } from './DealerForm.js';
import { decodeCsv, describeIssue, directoryTemplate } from './directory.js';
import { useConfirm } from '../common/Confirm.js';

/** The server refuses imports over 1 MB; say so before uploading. */
const MAX_IMPORT_BYTES = 1024 * 1024;

type Outcome = { kind: 'done'; text: string } | { kind: 'error'; text: string } | { kind: 'issues'; issues: ValidationIssue[] } | null;

const byName = (a: DealerAdmin, b: DealerAdmin) => a.name.localeCompare(b.name, 'fr');

/** `keysVersion` changes when the Accès panel rotates or revokes a key: the links are read again. */
export function DealerDirectory({ eventId, token, keysVersion = 0 }: { eventId: string; token: string; keysVersion?: number }) {
  const { t } = useI18n();
  const confirm = useConfirm();
  const uid = useId();
  const [dealers, setDealers] = useState<DealerAdmin[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [editing, setEditing] = useState<DealerAdmin | 'new' | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [importing, setImporting] = useState(false);

  useEffect(() => {
    let live = true;
    eventLeadSettings.directory(eventId, token).then(
      (r) => live && setDealers(r.dealers.slice().sort(byName)),
      (err: unknown) => live && setLoadError(err instanceof ApiError ? t(errorKey(err.code)) : t('error.internal')),
    );
    return () => {
      live = false;
    };
  }, [eventId, token, t, keysVersion]);

  const failed = (err: unknown) => setOutcome({ kind: 'error', text: t(err instanceof ApiError ? errorKey(err.code) : 'error.internal') });

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = ''; // choosing the same file again (after fixing it) must import again
    if (!file) return;
    setOutcome(null);
    if (file.size > MAX_IMPORT_BYTES) return setOutcome({ kind: 'error', text: t('studio.dealers.tooBig') });
    setImporting(true);
    try {
      const r = await eventLeadSettings.importCsv(eventId, token, decodeCsv(await file.arrayBuffer()));
      setDealers(r.dealers.slice().sort(byName));
      const ignored = r.ignoredColumns.length ? ` ${t('studio.dealers.ignoredColumns', { n: r.ignoredColumns.length, columns: r.ignoredColumns.map((c) => `« ${c} »`).join(', ') })}` : '';
      setOutcome({ kind: 'done', text: t('studio.dealers.imported', { n: r.imported }) + ignored });
    } catch (err) {
      if (err instanceof ApiIssuesError) setOutcome({ kind: 'issues', issues: err.issues });
      else failed(err);
    } finally {
      setImporting(false);
    }
  }

  async function remove(d: DealerAdmin) {
    if (!(await confirm({ message: t('studio.dealers.confirmDelete', { name: d.name }), action: t('studio.dealers.delete'), danger: true }))) return;
    setOutcome(null);
    try {
      await eventLeadSettings.deleteDealer(eventId, token, d.id);
      setDealers((cur) => (cur ?? []).filter((x) => x.id !== d.id));
      if (editing !== 'new' && editing?.id === d.id) setEditing(null);
      setOutcome({ kind: 'done', text: t('studio.dealers.deleted', { name: d.name }) });
    } catch (err) {
      failed(err);
    }
  }

  function saved(d: DealerAdmin) {
    setDealers((cur) => [...(cur ?? []).filter((x) => x.id !== d.id), d].sort(byName));
    setEditing(null);
    setOutcome({ kind: 'done', text: t('studio.dealers.saved', { name: d.name }) });
  }

  return (
    <section className="manage-block" aria-labelledby={`${uid}-title`}>
      <div className="manage-block-head">
        <h3 id={`${uid}-title`}>{t('studio.dealers.title')}</h3>
        {dealers ? <span className="pill">{t('studio.dealers.count', { n: dealers.length })}</span> : null}
      </div>
      <p className="muted">{t('studio.dealers.lead')}</p>

      <div className="directory-actions">
        <label className={`btn btn-small file-btn${importing ? ' file-btn-busy' : ''}`}>
          <input type="file" accept=".csv,text/csv" className="visually-hidden" disabled={importing} onChange={(e) => void importFile(e)} aria-describedby={`${uid}-hint`} />
          {importing ? t('studio.dealers.importing') : t('studio.dealers.import')}
        </label>
        <button type="button" className="btn btn-small btn-ghost" onClick={() => saveFile(new Blob([directoryTemplate()], { type: 'text/csv;charset=utf-8' }), 'concessionnaires-modele.csv')}>
          {t('studio.dealers.template')}
        </button>
        <button type="button" className="btn btn-small" onClick={() => setEditing('new')} disabled={editing === 'new'}>
          {t('studio.dealers.add')}
        </button>
      </div>
      <p id={`${uid}-hint`} className="hint">{t('studio.dealers.importHint')}</p>

      <div aria-live="polite">{outcome ? <OutcomeView outcome={outcome} /> : null}</div>

      {editing ? (
        <DealerForm key={editing === 'new' ? 'new' : editing.id} eventId={eventId} token={token} initial={editing === 'new' ? null : editing} onSaved={saved} onCancel={() => setEditing(null)} />
      ) : null}

      {loadError ? <p className="error" role="alert">{t('studio.loadFailed')} {loadError}</p> : null}
      {dealers && dealers.length === 0 ? <p className="directory-empty">{t('studio.dealers.empty')}</p> : null}
      {dealers && dealers.length > 0 ? (
        <div className="directory-scroll">
          <table className="directory">
            <thead>
              <tr>
                <th scope="col">{t('studio.dealers.col.dealer')}</th>
                <th scope="col">{t('studio.dealers.col.contact')}</th>
                <th scope="col">{t('studio.dealers.col.link')}</th>
                <th scope="col"><span className="visually-hidden">{t('studio.dealers.col.actions')}</span></th>
              </tr>
            </thead>
            <tbody>
              {dealers.map((d) => (
                <tr key={d.id} data-testid="directory-dealer">
                  <td>
                    <strong>{d.name}</strong>
                    <span className="directory-sub">{[d.address, `${d.postcode} ${d.city}`].filter(Boolean).join(', ')}</span>
                    <code className="directory-id">{d.id}</code>
                  </td>
                  <td>
                    <span className="directory-email">{d.email}</span>
                    {d.phone ? <span className="directory-sub">{displayPhone(d.phone)}</span> : null}
                  </td>
                  <td className="directory-link">
                    {/* A revoked or expired link is not handed out again: the "Accès" panel makes a new one. */}
                    {d.keyStatus === 'active' ? (
                      <>
                        <CopyButton text={d.link} label={t('studio.dealers.linkLabel', { name: d.name })} />
                        <a className="btn btn-small btn-ghost" href={d.link} target="_blank" rel="noopener noreferrer" aria-label={t('studio.dealers.openLabel', { name: d.name })}>
                          {t('studio.dealers.open')}
                        </a>
                      </>
                    ) : (
                      <span className={`pill access-status access-${d.keyStatus}`}>{t(`access.status.${d.keyStatus}`)}</span>
                    )}
                  </td>
                  <td className="directory-row-actions">
                    <button type="button" className="btn btn-small btn-ghost" aria-label={t('studio.dealers.editLabel', { name: d.name })} onClick={() => setEditing(d)}>
                      {t('studio.dealers.edit')}
                    </button>
                    <button type="button" className="btn btn-small btn-quiet" aria-label={t('studio.dealers.deleteLabel', { name: d.name })} onClick={() => void remove(d)}>
                      {t('studio.dealers.delete')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}

function OutcomeView({ outcome }: { outcome: NonNullable<Outcome> }) {
  const { t, locale } = useI18n();
  if (outcome.kind === 'done') return <p className="manage-ok">{outcome.text}</p>;
  if (outcome.kind === 'error') return <p className="error" role="alert">{outcome.text}</p>;
  return (
    <div className="import-issues" role="alert">
      <p>{t('studio.dealers.importFailed')}</p>
      <ul>
        {outcome.issues.map((issue, i) => {
          const { line, header, field, explain, message } = describeIssue(issue);
          const where = [
            line !== null ? t('studio.dealers.line', { n: line }) : header ? t('studio.dealers.header') : null,
            field ? t(`studio.dealers.field.${field}`).toLowerCase() : null,
          ].filter(Boolean).join(', ');
          // Our words where we have them, then the server's own (English) detail.
          const ours =
            explain.kind === 'rule' ? t(`studio.dealers.rule.${explain.field}`)
            : explain.kind === 'missingColumn' ? t('studio.dealers.missingColumn', { column: explain.field })
            : explain.kind === 'duplicateId' ? t('studio.dealers.duplicateId', { n: explain.line })
            : null;
          return (
            <li key={i}>
              {where ? <strong>{where}</strong> : null}
              {where ? (locale === 'fr' ? ' : ' : ': ') : null}
              {ours ? <>{ours} <span className="issue-detail" lang="en">({message})</span></> : <span lang="en">{message}</span>}
            </li>
          );
        })}
      </ul>
    </div>
  );
}
