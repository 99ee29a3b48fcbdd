import { createContext, useContext, type ReactNode, type RefObject } from 'react';
import type { VehicleSetup } from '../../../shared/vehicle.js';
import type { FieldErrors, PreviewHandle } from './staging.js';

export { fieldKey } from './staging.js';

/** What every part of the staging editor edits through. */
export interface StagingEditorApi {
  draft: VehicleSetup;
  /** Localised, by field key (`chapters.2.variant`). */
  errors: FieldErrors;
  /** A new draft; `touched` (a field key prefix) clears the server's complaints about it. */
  change: (next: VehicleSetup, touched: string) => void;
  /** Ids already saved: they no longer follow their item's name. */
  locked: (kind: 'paints' | 'hotspots' | 'chapters') => ReadonlySet<string>;
  preview: RefObject<PreviewHandle | null>;
  /** A React key that survives the item's id following its name (inputs keep their focus). */
  itemKey: (kind: 'paints' | 'hotspots' | 'chapters', id: string) => string;
}

const EditorContext = createContext<StagingEditorApi | null>(null);
export const StagingEditorProvider = EditorContext.Provider;

export function useStagingEditor(): StagingEditorApi {
  const api = useContext(EditorContext);
  if (!api) throw new Error('useStagingEditor outside the staging editor');
  return api;
}

/** `aria-*` for a field and the text under it: a field with an error says so to screen readers. */
export function fieldProps(errors: FieldErrors, key: string, id: string) {
  const error = errors.get(key);
  return { id, 'aria-invalid': error ? true : undefined, 'aria-describedby': error ? `${id}-error` : undefined } as const;
}

export function FieldError({ errors, field, id }: { errors: FieldErrors; field: string; id: string }) {
  const error = errors.get(field);
  return error ? (
    <p className="staging-field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** True when a field under this prefix has an error (an item shows a mark while folded). */
export const hasErrorUnder = (errors: FieldErrors, prefix: string) => [...errors.keys()].some((k) => k === prefix || k.startsWith(`${prefix}.`));

/** A 0–1 material value with its figure beside it. */
export function UnitSlider({ id, label, value, onChange }: { id: string; label: string; value: number; onChange: (v: number) => void }) {
  return (
    <div className="staging-slider">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="range" min={0} max={1} step={0.01} value={value} onChange={(e) => onChange(Number(e.target.value))} />
      <output htmlFor={id}>{Math.round(value * 100)}</output>
    </div>
  );
}

/** One row of a list: a folded summary that opens it, actions beside, the fields below. */
export function ItemCard({
  open,
  onToggle,
  summary,
  actions,
  invalid,
  toggleLabel,
  children,
  testId,
}: {
  open: boolean;
  onToggle: () => void;
  summary: ReactNode;
  actions?: ReactNode;
  invalid: boolean;
  toggleLabel: string;
  children: ReactNode;
  testId?: string;
}) {
  return (
    <li className={`staging-item${open ? ' is-open' : ''}${invalid ? ' is-invalid' : ''}`} data-testid={testId}>
      <div className="staging-item-head">
        <button type="button" className="staging-item-toggle" aria-expanded={open} aria-label={toggleLabel} onClick={onToggle}>
          {summary}
          <span className="staging-chevron" aria-hidden="true" />
        </button>
        {actions ? <div className="staging-item-actions">{actions}</div> : null}
      </div>
      {open ? <div className="staging-item-body">{children}</div> : null}
    </li>
  );
}

export function IconButton({ label, onClick, children, disabled, danger }: { label: string; onClick: () => void; children: ReactNode; disabled?: boolean; danger?: boolean }) {
  return (
    <button type="button" className={`staging-icon${danger ? ' staging-icon-danger' : ''}`} aria-label={label} title={label} onClick={onClick} disabled={disabled}>
      {children}
    </button>
  );
}

/** Small line icons drawn in CSS colour (no icon font, nothing fetched). */
export const Icon = {
  up: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M8 13V3.5M4 7.5l4-4 4 4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  ),
  down: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M8 3v9.5M4 8.5l4 4 4-4" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  ),
  trash: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M3 4.5h10M6.5 4.5V3h3v1.5M4.5 4.5l.6 8.5h5.8l.6-8.5" fill="none" stroke="currentColor" strokeWidth="1.5" strokeLinecap="round" strokeLinejoin="round" />
    </svg>
  ),
  eye: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M1.5 8S4 3.5 8 3.5 14.5 8 14.5 8 12 12.5 8 12.5 1.5 8 1.5 8z" fill="none" stroke="currentColor" strokeWidth="1.4" />
      <circle cx="8" cy="8" r="2" fill="currentColor" />
    </svg>
  ),
  pin: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M8 14.5s4.5-4.2 4.5-7.7a4.5 4.5 0 10-9 0c0 3.5 4.5 7.7 4.5 7.7z" fill="none" stroke="currentColor" strokeWidth="1.5" />
      <circle cx="8" cy="6.8" r="1.6" fill="currentColor" />
    </svg>
  ),
  camera: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M2 5.5h2.5L6 3.5h4l1.5 2H14v7H2z" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinejoin="round" />
      <circle cx="8" cy="8.8" r="2.2" fill="none" stroke="currentColor" strokeWidth="1.4" />
    </svg>
  ),
  plus: (
    <svg viewBox="0 0 16 16" width="16" height="16" aria-hidden="true">
      <path d="M8 3v10M3 8h10" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" />
    </svg>
  ),
};
