import type { EventBrand } from '../../../shared/brand.js';
import { LanguageSwitch } from '../../i18n/i18n.js';
import { BrandMark, hasBrandMark } from '../brand/BrandMark.js';
import { useAppliedBrand } from '../brand/useBrandTheme.js';

export function Logo({ small = false }: { small?: boolean }) {
  return (
    <a href="/" className={small ? 'logo logo-small' : 'logo'} aria-label="Vitrine">
      <svg viewBox="0 0 64 64" width={small ? 18 : 28} height={small ? 18 : 28} aria-hidden="true">
        <path d="M14 40c4-9 10-13 18-13s14 4 18 13" fill="none" stroke="currentColor" strokeWidth="5" strokeLinecap="round" />
        <circle cx="22" cy="42" r="4" fill="currentColor" />
        <circle cx="42" cy="42" r="4" fill="currentColor" />
      </svg>
      <span>Vitrine</span>
    </a>
  );
}

/**
 * The page's top bar. With an event brand (given, or applied to the page by `useBrandTheme`),
 * the brand's logo or name leads and Vitrine steps back to a small mark beside it.
 */
export function TopBar({ children, brand }: { children?: React.ReactNode; brand?: EventBrand | null }) {
  const applied = useAppliedBrand();
  const shown = brand === undefined ? applied : brand;
  return (
    <header className="topbar">
      {hasBrandMark(shown) ? (
        <div className="topbar-brand">
          <BrandMark brand={shown} />
          <Logo small />
        </div>
      ) : (
        <Logo />
      )}
      <div className="topbar-right">
        {children}
        <LanguageSwitch />
      </div>
    </header>
  );
}
