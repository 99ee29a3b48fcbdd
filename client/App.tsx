import { lazy, Suspense, useSyncExternalStore } from 'react';
import { ConfirmProvider } from './features/common/Confirm.js';
import { JoinPage } from './features/join/JoinPage.js';
import { useI18n } from './i18n/i18n.js';

const ViewerPage = lazy(() => import('./features/viewer/ViewerPage.js'));
const HostPage = lazy(() => import('./features/host/HostPage.js'));
const StudioPage = lazy(() => import('./features/studio/StudioPage.js'));
const DealerPage = lazy(() => import('./features/dealer/DealerPage.js'));
const PrivacyPage = lazy(() => import('./features/leads/PrivacyPage.js'));
const PosterPage = lazy(() => import('./features/brand/PosterPage.js'));
const ReportPage = lazy(() => import('./features/report/ReportPage.js'));
const ReplayPage = lazy(() => import('./features/replay/ReplayPage.js'));

/** A few fixed routes do not need a router library: match the path, keep one listener. */
function subscribe(cb: () => void) {
  window.addEventListener('popstate', cb);
  return () => window.removeEventListener('popstate', cb);
}

export function navigate(path: string) {
  history.pushState(null, '', path);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

function route(path: string) {
  let m: RegExpMatchArray | null;
  if (path === '/' || path === '') return <JoinPage />;
  if ((m = path.match(/^\/e\/([^/]+)\/?$/))) return <ViewerPage code={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/e\/([^/]+)\/privacy\/?$/))) return <PrivacyPage code={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/e\/([^/]+)\/poster\/?$/))) return <PosterPage code={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/host\/([^/]+)\/?$/))) return <HostPage eventId={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/dealer\/([^/]+)\/?$/))) return <DealerPage eventId={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/report\/([^/]+)\/?$/))) return <ReportPage eventId={decodeURIComponent(m[1]!)} />;
  if ((m = path.match(/^\/replay\/([^/]+)\/?$/))) return <ReplayPage code={decodeURIComponent(m[1]!)} />;
  if (/^\/studio\/?$/.test(path)) return <StudioPage />;
  return <NotFound />;
}

function NotFound() {
  const { t } = useI18n();
  return (
    <main className="center-page">
      <p className="muted">{t('error.not_found')}</p>
      <a href="/">{t('join.title')}</a>
    </main>
  );
}

export function Loading() {
  const { t } = useI18n();
  return (
    <div className="center-page" role="status">
      <span className="spinner" aria-hidden="true" />
      <span className="visually-hidden">{t('common.loading')}</span>
    </div>
  );
}

export function App() {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  return (
    <ConfirmProvider>
      <Suspense fallback={<Loading />}>{route(path)}</Suspense>
    </ConfirmProvider>
  );
}
