/**
 * The app's one zustand store: state and the actions that change it side by
 * side; components subscribe to the slice they need.
 */
import { create } from 'zustand';
import type { FilingView } from './app/filingView.ts';
import { parseInWorker } from './app/filingWorker.ts';
import type { ParseProgress } from './app/readFiling.ts';
import { fetchReport, parseAnalysisReport, type AnalysisReport, type ReportState } from './app/reports.ts';

/** The screens, in tab order. (The "Tag text" screen joins here when the model backends exist.) */
export type Screen = 'filing' | 'dashboard';

export type FilingState =
  | { status: 'empty' }
  | { status: 'parsing'; fileName: string; progress?: ParseProgress }
  | { status: 'ready'; view: FilingView; parseMillis: number }
  | { status: 'error'; message: string };

/** Which sentences the Filing screen lists. */
export type SentenceScope = 'targets' | 'all';

/** How the dashboard chart counts entities. */
export type ChartMeasure = 'tokens' | 'share';

interface AppState {
  screen: Screen;
  filing: FilingState;
  sentenceScope: SentenceScope;
  sentenceFilter: string;
  analysis: ReportState<AnalysisReport>;
  /** eval.json: only its presence is shown until the evaluation command exists. */
  evaluation: ReportState<unknown>;
  chartMeasure: ChartMeasure;

  showScreen(screen: Screen): void;
  openFiling(file: File): Promise<void>;
  setSentenceScope(scope: SentenceScope): void;
  setSentenceFilter(filter: string): void;
  loadReports(): Promise<void>;
  setChartMeasure(measure: ChartMeasure): void;
}

let openRequest = 0; // the latest file opened wins when the analyst opens another mid-parse

export const useAppStore = create<AppState>()((set, get) => ({
  screen: 'filing',
  filing: { status: 'empty' },
  sentenceScope: 'targets',
  sentenceFilter: '',
  analysis: { status: 'loading' },
  evaluation: { status: 'loading' },
  chartMeasure: 'tokens',

  showScreen: (screen) => set({ screen }),

  openFiling: async (file) => {
    const request = ++openRequest;
    set({ filing: { status: 'parsing', fileName: file.name }, sentenceFilter: '' });
    try {
      const { view, millis } = await parseInWorker(file, (progress) => {
        if (request === openRequest) set({ filing: { status: 'parsing', fileName: file.name, progress } });
      });
      if (request === openRequest) set({ filing: { status: 'ready', view, parseMillis: millis } });
    } catch (err) {
      if (request === openRequest) set({ filing: { status: 'error', message: err instanceof Error ? err.message : String(err) } });
    }
  },

  setSentenceScope: (sentenceScope) => set({ sentenceScope }),
  setSentenceFilter: (sentenceFilter) => set({ sentenceFilter }),

  loadReports: async () => {
    if (get().analysis.status === 'ready') return;
    const [analysis, evaluation] = await Promise.all([
      fetchReport('analysis.json', parseAnalysisReport),
      fetchReport('eval.json', (json) => json),
    ]);
    set({ analysis, evaluation });
  },

  setChartMeasure: (chartMeasure) => set({ chartMeasure }),
}));
