import { useId, useState, type ChangeEvent, type CSSProperties, type FormEvent } from 'react';
import { NO_BRAND, type EventBrand } from '../../../shared/brand.js';
import { DEFAULT_REACTIONS, isOneEmoji, MAX_REACTIONS, REACTION_MAX_UNITS, reactionsOf } from '../../../shared/qa.js';
import type { EventCreated } from '../../../shared/event.js';
import { LOGO_TYPES, MEDIA_MAX_BYTES, type BrandUpdate, type MediaType } from '../../../shared/media.js';
import { formatBytes, formatNumber } from '../../i18n/format.js';
import { useI18n } from '../../i18n/i18n.js';
import { errorKey } from '../../i18n/messages.js';
import { ApiError, ApiIssuesError } from '../../net/api.js';
import { BrandMark } from '../brand/BrandMark.js';
import { brandApi } from '../brand/brandApi.js';
import { brandPalette, contrast, parseHex, VITRINE } from '../brand/colour.js';
import '../brand/brand.css';
import { useConfirm } from '../common/Confirm.js';

/** Below 3:1 an accent button or highlight does not stand out from the page (WCAG 1.4.11). */
const MIN_ACCENT_CONTRAST = 3;

interface Draft {
  name: string;
  /** What is typed; null: Vitrine's colour. */
  accent: string | null;
  background: string | null;
  /** null: the default set. */
  reactions: string[] | null;
}

type Notice = { kind: 'ok' | 'error'; text: string } | null;

const draftOf = (b: EventBrand): Draft => ({ name: b.name ?? '', accent: b.accent, background: b.background, reactions: b.reactions ?? null });
const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((x, i) => x === b[i]);
/** What a set that equals the default one is stored as: nothing (it then follows the default). */
const storedReactions = (set: string[] | null) => (set === null || sameList(set, DEFAULT_REACTIONS) ? null : set);
const validHex = (v: string | null) => v === null || parseHex(v) !== null;

/** The studio's brand settings for one event: name, colours, logo, a live preview, and the poster. */
export function BrandPanel({ event, token }: { event: EventCreated; token: string }) {
  const { t } = useI18n();
  const id = useId();
  const [open, setOpen] = useState(false);
  const [saved, setSaved] = useState<EventBrand>(event.brand);
  return (
    <section className="brand-panel" aria-labelledby={`${id}-title`}>
      <div className="brand-panel-head">
        <h4 id={`${id}-title`}>{t('brand.title')}</h4>
        <span className="brand-chips" aria-hidden="true">
          <span className="brand-chip" style={{ background: saved.background ?? VITRINE.background }}>
            <span style={{ background: saved.accent ?? VITRINE.accent }} />
          </span>
          {saved.name ? <span className="brand-chip-name">{saved.name}</span> : null}
        </span>
        <span className="brand-panel-actions">
          <a className="btn btn-small btn-ghost" href={`/e/${encodeURIComponent(event.code)}/poster`} target="_blank" rel="noopener" data-testid="poster-link">
            {t('brand.poster')} <span className="visually-hidden">{t('brand.newTab')}</span>
          </a>
          <button type="button" className="btn btn-small" aria-expanded={open} aria-controls={`${id}-body`} onClick={() => setOpen((o) => !o)}>
            <span aria-hidden="true">{open ? '▾' : '▸'}</span> {t('brand.edit')}
          </button>
        </span>
      </div>
      <div id={`${id}-body`} hidden={!open}>
        {open ? <BrandEditor event={event} token={token} saved={saved} onSaved={setSaved} /> : null}
      </div>
    </section>
  );
}

function BrandEditor({ event, token, saved, onSaved }: { event: EventCreated; token: string; saved: EventBrand; onSaved: (b: EventBrand) => void }) {
  const { t, locale } = useI18n();
  const confirm = useConfirm();
  const id = useId();
  const [draft, setDraft] = useState<Draft>(() => draftOf(saved));
  const [busy, setBusy] = useState<'save' | 'logo' | null>(null);
  const [notice, setNotice] = useState<Notice>(null);
  const [logoError, setLogoError] = useState<string | null>(null);

  const colourOk = validHex(draft.accent) && validHex(draft.background);
  const reactionsDirty = !sameList(reactionsOf({ reactions: draft.reactions ?? undefined }), reactionsOf(saved));
  const dirty = draft.name.trim() !== (saved.name ?? '') || norm(draft.accent) !== saved.accent || norm(draft.background) !== saved.background || reactionsDirty;
  const preview: EventBrand = {
    name: draft.name.trim() || null,
    logoUrl: saved.logoUrl,
    accent: validHex(draft.accent) ? norm(draft.accent) : saved.accent,
    background: validHex(draft.background) ? norm(draft.background) : saved.background,
    ...(draft.reactions ? { reactions: draft.reactions } : {}),
  };
  const ratio = contrast(preview.accent ?? VITRINE.accent, preview.background ?? VITRINE.background);

  async function send(patch: BrandUpdate, done: string) {
    setBusy('save');
    setNotice(null);
    try {
      const { brand } = await brandApi.patch(event.id, token, patch);
      onSaved(brand);
      setDraft(draftOf(brand));
      setNotice({ kind: 'ok', text: done });
    } catch (err) {
      setNotice({ kind: 'error', text: failureText(err) });
    } finally {
      setBusy(null);
    }
  }

  function failureText(err: unknown): string {
    if (err instanceof ApiIssuesError) return `${t('error.invalid_payload')} ${err.issues.map((i) => i.message).join(' · ')}`;
    if (err instanceof ApiError && err.code !== 'network') return t(errorKey(err.code));
    return t('brand.failed');
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    if (!colourOk) return;
    const patch: BrandUpdate = { name: draft.name.trim() || null, accent: norm(draft.accent), background: norm(draft.background) };
    if (reactionsDirty) patch.reactions = storedReactions(draft.reactions);
    void send(patch, t('brand.saved'));
  }

  async function onLogo(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = ''; // choosing the same file again must upload again
    if (!file) return;
    setLogoError(null);
    setNotice(null);
    const type = logoType(file);
    if (!type) return setLogoError(t('brand.logoWrongType'));
    if (file.size > MEDIA_MAX_BYTES) return setLogoError(t('brand.logoTooLarge', { size: formatBytes(file.size, locale), max: formatBytes(MEDIA_MAX_BYTES, locale) }));
    setBusy('logo');
    try {
      const { brand } = await brandApi.putLogo(event.id, token, new Blob([file], { type }));
      onSaved(brand);
      setNotice({ kind: 'ok', text: t('brand.logoDone') });
    } catch (err) {
      if (err instanceof ApiError && err.code === 'invalid_image') setLogoError(`${t('brand.logoInvalid')} ${err.message}`);
      else if (err instanceof ApiError && err.code === 'too_large') setLogoError(t('brand.logoTooLarge', { size: formatBytes(file.size, locale), max: formatBytes(MEDIA_MAX_BYTES, locale) }));
      else if (err instanceof ApiError && err.code === 'unsupported_media_type') setLogoError(t('brand.logoWrongType'));
      else setLogoError(failureText(err));
    } finally {
      setBusy(null);
    }
  }

  const previewStyle = brandPalette(preview.accent, preview.background).vars as CSSProperties;
  return (
    <form className="brand-editor" onSubmit={submit} noValidate>
      <p className="muted brand-intro">{t('brand.intro')}</p>
      <div className="brand-editor-grid">
        <div className="brand-fields">
          <div className="field">
            <label htmlFor={`${id}-name`}>{t('brand.name')}</label>
            <input id={`${id}-name`} value={draft.name} maxLength={60} placeholder={t('brand.namePlaceholder')} onChange={(e) => setDraft({ ...draft, name: e.target.value })} />
          </div>
          <ColourField label={t('brand.accent')} hint={t('brand.accentHint')} value={draft.accent} fallback={VITRINE.accent} onChange={(accent) => setDraft({ ...draft, accent })} testId="brand-accent" />
          <ColourField label={t('brand.background')} hint={t('brand.backgroundHint')} value={draft.background} fallback={VITRINE.background} onChange={(background) => setDraft({ ...draft, background })} testId="brand-background" />
          <p className={ratio < MIN_ACCENT_CONTRAST ? 'brand-contrast brand-contrast-low' : 'brand-contrast'} role="status" data-testid="brand-contrast">
            {t(ratio < MIN_ACCENT_CONTRAST ? 'brand.contrastLow' : 'brand.contrastOk', { ratio: formatNumber(Math.floor(ratio * 10) / 10, locale) })}
          </p>
          <div className="field brand-logo-field">
            <span className="brand-label" id={`${id}-logo`}>{t('brand.logo')}</span>
            <div className="brand-logo-row">
              {saved.logoUrl ? (
                <span className="brand-logo-thumb">
                  <img src={saved.logoUrl} alt={t('brand.logoAlt')} data-testid="brand-logo-preview" />
                </span>
              ) : (
                <span className="hint">{t('brand.logoNone')}</span>
              )}
              <label className={`btn btn-small file-btn${busy === 'logo' ? ' file-btn-busy' : ''}`}>
                <input
                  className="visually-hidden"
                  type="file"
                  accept=".svg,.png,image/svg+xml,image/png"
                  disabled={busy !== null}
                  onChange={(e) => void onLogo(e)}
                  aria-describedby={`${id}-logo-hint ${id}-logo-error`}
                  data-testid="brand-logo-file"
                />
                {busy === 'logo' ? t('brand.logoUploading') : saved.logoUrl ? t('brand.logoReplace') : t('brand.logoChoose')}
              </label>
              {saved.logoUrl ? (
                <button type="button" className="btn btn-small btn-ghost" disabled={busy !== null} onClick={() => void send({ logoUrl: null }, t('brand.saved'))}>
                  {t('brand.logoRemove')}
                </button>
              ) : null}
            </div>
            <p className="hint" id={`${id}-logo-hint`}>{t('brand.logoHint', { max: formatBytes(MEDIA_MAX_BYTES, locale) })}</p>
            <p className="error" id={`${id}-logo-error`} role="alert" data-testid="brand-logo-error">{logoError}</p>
          </div>
          <ReactionsField value={draft.reactions} onChange={(reactions) => setDraft({ ...draft, reactions })} />
        </div>
        <figure className="brand-preview" style={previewStyle} aria-label={t('brand.preview')} data-testid="brand-preview">
          <figcaption className="brand-preview-caption">{t('brand.preview')}</figcaption>
          <div className="brand-preview-bar">
            {preview.logoUrl || preview.name ? <BrandMark brand={preview} size="preview" /> : <span className="brand-preview-vitrine">Vitrine</span>}
          </div>
          <p className="eyebrow">{t('brand.previewEyebrow')}</p>
          <p className="brand-preview-title">{event.title}</p>
          <span className="btn btn-primary btn-small brand-preview-btn" aria-hidden="true">{t('brand.previewButton')}</span>
          <span className="brand-preview-link" aria-hidden="true">{t('brand.previewLink')}</span>
          <span className="brand-preview-reactions" aria-hidden="true" data-testid="brand-preview-reactions">
            {reactionsOf(preview).map((emoji) => <span key={emoji}>{emoji}</span>)}
          </span>
        </figure>
      </div>
      <div className="brand-actions">
        <button className="btn btn-primary" disabled={busy !== null || !colourOk || !dirty}>{busy === 'save' ? t('brand.saving') : t('brand.save')}</button>
        <button
          type="button"
          className="btn btn-ghost"
          disabled={busy !== null || sameBrand(saved, NO_BRAND)}
          onClick={() => void confirm({ message: t('brand.confirmReset'), action: t('brand.reset') }).then((ok) => (ok ? send({ name: null, accent: null, background: null, logoUrl: null, reactions: null }, t('brand.resetDone')) : undefined))}
        >
          {t('brand.reset')}
        </button>
        {dirty && !notice ? <span className="hint">{t('brand.unsaved')}</span> : null}
        <p className={notice?.kind === 'error' ? 'error' : 'manage-ok'} role={notice?.kind === 'error' ? 'alert' : 'status'} data-testid="brand-notice">{notice?.text}</p>
      </div>
    </form>
  );
}

/** A colour picker and its hex code, kept in step; "Par défaut" puts Vitrine's colour back. */
function ColourField({ label, hint, value, fallback, onChange, testId }: { label: string; hint: string; value: string | null; fallback: string; onChange: (v: string | null) => void; testId: string }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(value ?? '');
  const [lastValue, setLastValue] = useState(value);
  // The value changed from outside (picker, reset, save): show it in the text box.
  if (value !== lastValue) {
    setLastValue(value);
    if ((value ?? '') !== text && !(value !== null && norm(text) === norm(value))) setText(value ?? '');
  }
  const invalid = text.trim() !== '' && !parseHex(text);
  return (
    <fieldset className="brand-colour" data-testid={testId}>
      <legend>{label}</legend>
      <div className="brand-colour-row">
        <input type="color" className="brand-colour-picker" aria-label={label} value={value && parseHex(value) ? norm(value)! : fallback} onChange={(e) => onChange(e.target.value)} />
        <input
          id={`${id}-hex`}
          className="brand-colour-hex"
          aria-label={t('brand.hex', { field: label })}
          value={text}
          placeholder={fallback}
          spellCheck={false}
          autoComplete="off"
          maxLength={7}
          aria-invalid={invalid || undefined}
          aria-describedby={`${id}-hint ${id}-error`}
          onChange={(e) => {
            const v = e.target.value.trim();
            setText(e.target.value);
            onChange(v === '' ? null : v.startsWith('#') ? v : `#${v}`);
          }}
        />
        <button type="button" className="btn btn-small btn-ghost" disabled={value === null} aria-label={t('brand.vitrineColourLabel', { field: label })} onClick={() => onChange(null)}>
          {t('brand.vitrineColour')}
        </button>
      </div>
      <p className="hint" id={`${id}-hint`}>{hint}</p>
      <p className="error" id={`${id}-error`} role="alert">{invalid ? t('brand.hexInvalid') : null}</p>
    </fieldset>
  );
}

/** Emojis a car launch's audience tends to want, offered in one click; any other can be typed. */
const SUGGESTED_REACTIONS = ['❤️', '👏', '🔥', '😮', '⚡', '🚗', '🏎️', '🔋', '🌱', '😍', '🤩', '👍', '💯', '🎉', '🇫🇷'];

/** The reactions on offer: the chosen ones (removable, in order), a palette and a box for any other emoji. */
function ReactionsField({ value, onChange }: { value: string[] | null; onChange: (v: string[] | null) => void }) {
  const { t } = useI18n();
  const id = useId();
  const set = value ?? [...DEFAULT_REACTIONS];
  const [other, setOther] = useState('');
  const [error, setError] = useState<string | null>(null);
  const full = set.length >= MAX_REACTIONS;

  function add(emoji: string): boolean {
    if (!isOneEmoji(emoji)) return setError(t('brand.reactionNotEmoji')), false;
    if (set.includes(emoji)) return setError(t('brand.reactionTwice', { emoji })), false;
    if (full) return setError(t('brand.reactionsFull', { max: MAX_REACTIONS })), false;
    setError(null);
    onChange([...set, emoji]);
    return true;
  }
  function remove(emoji: string) {
    if (set.length === 1) return setError(t('brand.reactionsEmpty'));
    setError(null);
    onChange(set.filter((e) => e !== emoji));
  }
  return (
    <fieldset className="brand-reactions" data-testid="brand-reactions" aria-describedby={`${id}-hint`}>
      <legend>{t('brand.reactions')}</legend>
      <ul className="brand-reaction-list" aria-label={t('brand.reactionsChosen')}>
        {set.map((emoji) => (
          <li key={emoji} className="brand-reaction-chip">
            <span className="brand-reaction-emoji">{emoji}</span>
            <button type="button" className="brand-reaction-remove" aria-label={t('brand.reactionRemove', { emoji })} onClick={() => remove(emoji)}>
              ×
            </button>
          </li>
        ))}
      </ul>
      <div className="brand-reaction-palette" role="group" aria-label={t('brand.reactionsPalette')}>
        {SUGGESTED_REACTIONS.filter((e) => !set.includes(e)).map((emoji) => (
          <button key={emoji} type="button" className="brand-reaction-add" disabled={full} aria-label={t('brand.reactionAdd', { emoji })} onClick={() => add(emoji)}>
            {emoji}
          </button>
        ))}
      </div>
      <div className="brand-reaction-other">
        <label htmlFor={`${id}-other`}>{t('brand.reactionOther')}</label>
        <input
          id={`${id}-other`}
          value={other}
          maxLength={REACTION_MAX_UNITS}
          autoComplete="off"
          spellCheck={false}
          aria-describedby={`${id}-error`}
          aria-invalid={error !== null || undefined}
          onChange={(e) => setOther(e.target.value)}
          onKeyDown={(e) => {
            // Enter adds the emoji rather than saving the whole form.
            if (e.key !== 'Enter') return;
            e.preventDefault();
            if (add(other.trim())) setOther('');
          }}
        />
        <button type="button" className="btn btn-small" disabled={other.trim() === '' || full} onClick={() => add(other.trim()) && setOther('')}>
          {t('brand.reactionOtherAdd')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" disabled={value === null || sameList(set, DEFAULT_REACTIONS)} onClick={() => (setError(null), onChange(null))}>
          {t('brand.reactionsDefault')}
        </button>
      </div>
      <p className="hint" id={`${id}-hint`}>{t('brand.reactionsHint', { max: MAX_REACTIONS })}</p>
      <p className="error" id={`${id}-error`} role="alert" data-testid="brand-reactions-error">{error}</p>
    </fieldset>
  );
}

/** "#E4002B" → "#e4002b"; null stays null; what is not a colour yet stays as typed (and blocks saving). */
function norm(v: string | null): string | null {
  if (v === null) return null;
  return parseHex(v) ? `#${v.replace('#', '').toLowerCase()}` : v;
}

function logoType(file: File): MediaType | null {
  const byName = /\.svg$/i.test(file.name) ? 'image/svg+xml' : /\.png$/i.test(file.name) ? 'image/png' : null;
  const type = (LOGO_TYPES as string[]).includes(file.type) ? (file.type as MediaType) : byName;
  return type;
}

function sameBrand(a: EventBrand, b: EventBrand): boolean {
  return a.name === b.name && a.logoUrl === b.logoUrl && a.accent === b.accent && a.background === b.background && sameList(reactionsOf(a), reactionsOf(b));
}
