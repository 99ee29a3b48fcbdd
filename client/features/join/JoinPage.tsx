import { useState, type FormEvent } from 'react';
import { normalizeCode } from '../../../shared/code.js';
import { navigate } from '../../App.js';
import { useI18n } from '../../i18n/i18n.js';
import { ApiError, api } from '../../net/api.js';
import { TopBar } from '../common/Brand.js';

export function JoinPage() {
  const { t } = useI18n();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const normal = normalizeCode(code);
    if (!normal) return setError(t('join.invalid'));
    setBusy(true);
    setError(null);
    try {
      await api.eventByCode(normal);
      navigate(`/e/${normal}`);
    } catch (err) {
      setError(err instanceof ApiError && err.status === 404 ? t('join.notFound') : t('error.network'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="page page-join">
      <TopBar />
      <main className="join">
        <p className="eyebrow">{t('app.tagline')}</p>
        <h1>{t('join.title')}</h1>
        <p className="lead">{t('join.lead')}</p>
        <form onSubmit={submit} noValidate className="join-form">
          <label htmlFor="code">{t('join.code')}</label>
          <input
            id="code"
            name="code"
            className="code-input"
            value={code}
            onChange={(e) => setCode(e.target.value.toUpperCase())}
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            maxLength={8}
            placeholder="K7P2QX"
            aria-describedby="code-hint code-error"
            aria-invalid={error ? true : undefined}
          />
          <p id="code-hint" className="hint">{t('join.codeHint')}</p>
          <p id="code-error" className="error" role="alert">{error}</p>
          <button className="btn btn-primary btn-block" disabled={busy}>{t('join.submit')}</button>
        </form>
        <a className="subtle-link" href="/studio">{t('join.studio')}</a>
      </main>
    </div>
  );
}
