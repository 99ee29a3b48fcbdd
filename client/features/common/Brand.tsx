import { LanguageSwitch } from '../../i18n/i18n.js';

export function Logo() {
  return (
    <a href="/" className="logo" aria-label="Vitrine">
      <svg viewBox="0 0 64 64" width="28" height="28" aria-hidden="true">
        <path d="M14 40c4-9 10-13 18-13s14 4 18 13" fill="none" stroke="currentColor" strokeWidth="5" strokeLinecap="round" />
        <circle cx="22" cy="42" r="4" fill="currentColor" />
        <circle cx="42" cy="42" r="4" fill="currentColor" />
      </svg>
      <span>Vitrine</span>
    </a>
  );
}

export function TopBar({ children }: { children?: React.ReactNode }) {
  return (
    <header className="topbar">
      <Logo />
      <div className="topbar-right">
        {children}
        <LanguageSwitch />
      </div>
    </header>
  );
}
