import { useState } from 'react';
import type { EventBrand } from '../../../shared/brand.js';
import { useI18n } from '../../i18n/i18n.js';
import './brand.css';

/**
 * The event's brand as people see it: the logo (its name as the image's text alternative), or
 * the name set in type when there is no logo or it fails to load. Nothing without either.
 */
export function BrandMark({ brand, size = 'bar', showName = false }: { brand: EventBrand; size?: 'bar' | 'poster' | 'preview'; showName?: boolean }) {
  const { t } = useI18n();
  const [failed, setFailed] = useState<string | null>(null);
  const logo = brand.logoUrl && failed !== brand.logoUrl ? brand.logoUrl : null;
  const name = brand.name?.trim() || null;
  if (!logo && !name) return null;
  return (
    <span className={`brand-mark brand-mark-${size}`} data-testid="brand-mark">
      {logo ? <img className="brand-logo" src={logo} alt={showName ? '' : (name ?? t('brand.logoAlt'))} onError={() => setFailed(logo)} /> : null}
      {!logo || showName ? <span className="brand-name">{name}</span> : null}
    </span>
  );
}

export function hasBrandMark(brand: EventBrand | null | undefined): brand is EventBrand {
  return Boolean(brand && (brand.logoUrl || brand.name?.trim()));
}
