import { lazy, Suspense } from 'react';
import { FilingScreen } from './components/FilingScreen.tsx';
import { ScreenTabs, type TabSpec } from './components/ScreenTabs.tsx';
import { TagTextScreen } from './components/TagTextScreen.tsx';
import { useAppStore, type Screen } from './store.ts';

// The dashboard carries the chart library (most of the bundle): loaded when first shown.
const DashboardScreen = lazy(() => import('./components/DashboardScreen.tsx').then((m) => ({ default: m.DashboardScreen })));

/** The screens, in tab order. */
const SCREENS: readonly TabSpec<Screen>[] = [
  { id: 'tag', label: 'Tag text' },
  { id: 'filing', label: 'Filing' },
  { id: 'dashboard', label: 'Dashboard' },
];

export function App() {
  const screen = useAppStore((s) => s.screen);
  const showScreen = useAppStore((s) => s.showScreen);
  return (
    <div className="app">
      <header className="app-header">
        <h1>
          finer-lens <span className="app-subtitle">financial entities in SEC filings</span>
        </h1>
        <ScreenTabs tabs={SCREENS} selected={screen} onSelect={showScreen} />
      </header>
      <main className="app-main">
        <div id={`panel-${screen}`} role="tabpanel" aria-labelledby={`tab-${screen}`}>
          {screen === 'tag' && <TagTextScreen />}
          {screen === 'filing' && <FilingScreen />}
          {screen === 'dashboard' && (
            <Suspense fallback={<p role="status">Loading the dashboard…</p>}>
              <DashboardScreen />
            </Suspense>
          )}
        </div>
      </main>
    </div>
  );
}
