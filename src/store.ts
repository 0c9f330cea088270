/**
 * The app's one zustand store: state and the actions that change it side by
 * side; components subscribe to the slice they need.
 */
import { create } from 'zustand';
import { compareEntities, type Agreement } from './app/agreement.ts';
import { EXAMPLES } from './app/examples.ts';
import type { FilingView } from './app/filingView.ts';
import { scoreFiling, sentenceWords, type FilingScore } from './app/filingScore.ts';
import { predictInWorker, TagCancelled, tagInWorker, type ModelChoice, type PredictedWords, type TaggerCall } from './app/taggerWorker.ts';
import type { BackendName, Precision, ProviderInfo, TagProgress, TagResult } from './backends/types.ts';
import { parseInWorker } from './app/filingWorker.ts';
import type { ParseProgress } from './app/readFiling.ts';
import {
  fetchReport,
  parseAblationReport,
  parseAnalysisReport,
  parseCompareReport,
  parseEvalReport,
  parseTrainReport,
  type AblationReport,
  type AnalysisReport,
  type CompareReport,
  type EvalReport,
  type ReportState,
  type TrainReport,
} from './app/reports.ts';

/** The screens, in tab order. */
export type Screen = 'tag' | 'filing' | 'dashboard';

/** What the Tag text screen's model is doing. `text` is the text that was tagged (the text area may have changed since). */
export type TagRun =
  | { status: 'idle' }
  | { status: 'running'; mode: 'tag' | 'compare'; step: string; progress?: TagProgress }
  | { status: 'tagged'; text: string; result: TagResult }
  | { status: 'compared'; text: string; onnx: TagResult; hf: TagResult; agreement: Agreement }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

export const BACKEND_NAMES: Readonly<Record<BackendName, string>> = { onnx: 'ONNX (onnxruntime-web)', hf: 'HF (transformers.js)' };

export type FilingState =
  | { status: 'empty' }
  | { status: 'parsing'; fileName: string; progress?: ParseProgress }
  | { status: 'ready'; view: FilingView; parseMillis: number }
  | { status: 'error'; message: string };

/** The model run over the opened filing's prose, scored against the filer's tags. */
export type FilingModelRun =
  | { status: 'idle' }
  | { status: 'running'; step: string; progress?: TagProgress }
  | { status: 'done'; score: FilingScore; provider: ProviderInfo; timings: PredictedWords['timings'] }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

/** Which sentences the Filing screen lists. */
export type SentenceScope = 'targets' | 'all';

/** How the dashboard chart counts entities. */
export type ChartMeasure = 'tokens' | 'share';

/** How the confusion matrix shows its cells: word counts, or each gold row as shares of 100%. */
export type ConfusionMode = 'counts' | 'rows';

interface AppState {
  screen: Screen;
  /** The Tag text screen's text area. */
  tagText: string;
  backend: BackendName;
  precision: Precision;
  /** Try WebGPU first (falls back to WASM when there is no adapter or it fails). */
  webgpu: boolean;
  tagRun: TagRun;
  filing: FilingState;
  filingModel: FilingModelRun;
  sentenceScope: SentenceScope;
  sentenceFilter: string;
  analysis: ReportState<AnalysisReport>;
  evaluation: ReportState<EvalReport>;
  comparison: ReportState<CompareReport>;
  training: ReportState<TrainReport>;
  ablation: ReportState<AblationReport>;
  chartMeasure: ChartMeasure;
  confusionMode: ConfusionMode;
  /** Index into eval.json's datasets of the confusion matrix shown. */
  confusionDataset: number;

  showScreen(screen: Screen): void;
  setTagText(text: string): void;
  setBackend(backend: BackendName): void;
  setPrecision(precision: Precision): void;
  setWebgpu(webgpu: boolean): void;
  /** Tag the text area's text with the chosen backend. */
  runTag(): Promise<void>;
  /** Tag it with both backends and compare their entities. */
  runCompare(): Promise<void>;
  cancelTag(): void;
  openFiling(file: File): Promise<void>;
  /** Run the chosen backend over the filing's prose sentences and score it against the filer's tags. */
  runModelOnFiling(): Promise<void>;
  cancelFilingModel(): void;
  setSentenceScope(scope: SentenceScope): void;
  setSentenceFilter(filter: string): void;
  loadReports(): Promise<void>;
  setChartMeasure(measure: ChartMeasure): void;
  setConfusionMode(mode: ConfusionMode): void;
  setConfusionDataset(index: number): void;
}

let openRequest = 0; // the latest file opened wins when the analyst opens another mid-parse
let tagCall: TaggerCall<unknown> | undefined; // the worker call the Cancel button stops
let tagRequest = 0;
let filingCall: TaggerCall<PredictedWords> | undefined;
let filingRequest = 0;

/** The message for an empty text area, or undefined. */
export function emptyTextMessage(text: string): string | undefined {
  return text.trim() === '' ? 'There is no text to tag: type or paste some text, or pick an example.' : undefined;
}

export const useAppStore = create<AppState>()((set, get) => ({
  screen: 'tag',
  tagText: EXAMPLES[0]!.text,
  backend: 'onnx',
  precision: 'int8',
  webgpu: true,
  tagRun: { status: 'idle' },
  filing: { status: 'empty' },
  filingModel: { status: 'idle' },
  sentenceScope: 'targets',
  sentenceFilter: '',
  analysis: { status: 'loading' },
  evaluation: { status: 'loading' },
  comparison: { status: 'loading' },
  training: { status: 'loading' },
  ablation: { status: 'loading' },
  chartMeasure: 'tokens',
  confusionMode: 'counts',
  confusionDataset: 0,

  showScreen: (screen) => set({ screen }),
  setTagText: (tagText) => set({ tagText }),
  setBackend: (backend) => set({ backend }),
  setPrecision: (precision) => set({ precision }),
  setWebgpu: (webgpu) => set({ webgpu }),

  runTag: async () => {
    const { tagText: text, backend, precision, webgpu } = get();
    const empty = emptyTextMessage(text);
    if (empty) return set({ tagRun: { status: 'error', message: empty } });
    tagCall?.cancel(); // a newer request replaces a running one
    const request = ++tagRequest;
    const model: ModelChoice = { backend, precision, webgpu };
    const current = () => request === tagRequest;
    set({ tagRun: { status: 'running', mode: 'tag', step: `Tagging with ${BACKEND_NAMES[backend]}…` } });
    try {
      const result = await track(model, text, 'tag', current, set);
      if (current()) set({ tagRun: { status: 'tagged', text, result } });
    } catch (err) {
      if (current()) set({ tagRun: failed(err) });
    }
  },

  runCompare: async () => {
    const { tagText: text, precision, webgpu } = get();
    const empty = emptyTextMessage(text);
    if (empty) return set({ tagRun: { status: 'error', message: empty } });
    tagCall?.cancel();
    const request = ++tagRequest;
    const current = () => request === tagRequest;
    try {
      const results: Partial<Record<BackendName, TagResult>> = {};
      for (const backend of ['onnx', 'hf'] as const) {
        if (!current()) return;
        set({ tagRun: { status: 'running', mode: 'compare', step: `Compare: tagging with ${BACKEND_NAMES[backend]}…` } });
        results[backend] = await track({ backend, precision, webgpu }, text, 'compare', current, set);
      }
      const onnx = results.onnx!;
      const hf = results.hf!;
      if (current()) set({ tagRun: { status: 'compared', text, onnx, hf, agreement: compareEntities(onnx.entities, hf.entities) } });
    } catch (err) {
      if (current()) set({ tagRun: failed(err) });
    }
  },

  cancelTag: () => {
    tagCall?.cancel();
  },

  openFiling: async (file) => {
    const request = ++openRequest;
    filingCall?.cancel();
    filingRequest++;
    set({ filing: { status: 'parsing', fileName: file.name }, sentenceFilter: '', filingModel: { status: 'idle' } });
    try {
      const { view, millis } = await parseInWorker(file, (progress) => {
        if (request === openRequest) set({ filing: { status: 'parsing', fileName: file.name, progress } });
      });
      if (request === openRequest) set({ filing: { status: 'ready', view, parseMillis: millis } });
    } catch (err) {
      if (request === openRequest) set({ filing: { status: 'error', message: err instanceof Error ? err.message : String(err) } });
    }
  },

  runModelOnFiling: async () => {
    const { filing, backend, precision, webgpu } = get();
    if (filing.status !== 'ready') return;
    filingCall?.cancel();
    const request = ++filingRequest;
    const current = () => request === filingRequest;
    const sentences = filing.view.sentences;
    const name = BACKEND_NAMES[backend];
    set({ filingModel: { status: 'running', step: `Tagging the filing's sentences with ${name}…` } });
    const call = predictInWorker({ backend, precision, webgpu }, sentenceWords(sentences).map((ws) => ws.map((w) => w.text)), {
      onLoading: () => current() && set({ filingModel: { status: 'running', step: `Loading the model for ${name} (${precision})…` } }),
      onProgress: (progress) => current() && set({ filingModel: { status: 'running', step: `Tagging the filing's sentences with ${name}…`, progress } }),
    });
    filingCall = call;
    try {
      const result = await call.result;
      if (current()) set({ filingModel: { status: 'done', score: scoreFiling(sentences, result.labels), provider: result.provider, timings: result.timings } });
    } catch (err) {
      if (!current()) return;
      set({ filingModel: err instanceof TagCancelled ? { status: 'cancelled' } : { status: 'error', message: err instanceof Error ? err.message : String(err) } });
    } finally {
      if (filingCall === call) filingCall = undefined;
    }
  },

  cancelFilingModel: () => {
    filingCall?.cancel();
  },

  setSentenceScope: (sentenceScope) => set({ sentenceScope }),
  setSentenceFilter: (sentenceFilter) => set({ sentenceFilter }),

  loadReports: async () => {
    if (get().analysis.status === 'ready') return;
    const [analysis, evaluation, comparison, training, ablation] = await Promise.all([
      fetchReport('analysis.json', parseAnalysisReport),
      fetchReport('eval.json', parseEvalReport),
      fetchReport('compare.json', parseCompareReport),
      fetchReport('train.json', parseTrainReport),
      fetchReport('ablation.json', parseAblationReport),
    ]);
    set({ analysis, evaluation, comparison, training, ablation });
  },

  setChartMeasure: (chartMeasure) => set({ chartMeasure }),
  setConfusionMode: (confusionMode) => set({ confusionMode }),
  setConfusionDataset: (confusionDataset) => set({ confusionDataset }),
}));

type SetState = (partial: Partial<AppState>) => void;

/** One worker call whose loading and progress show in the store while `current()`. */
async function track(model: ModelChoice, text: string, mode: 'tag' | 'compare', current: () => boolean, set: SetState): Promise<TagResult> {
  const name = BACKEND_NAMES[model.backend];
  const prefix = mode === 'compare' ? 'Compare: ' : '';
  const call = tagInWorker(model, text, {
    onLoading: () => current() && set({ tagRun: { status: 'running', mode, step: `${prefix}loading the model for ${name} (${model.precision})…` } }),
    onProgress: (progress) => current() && set({ tagRun: { status: 'running', mode, step: `${prefix}tagging with ${name}…`, progress } }),
  });
  tagCall = call;
  try {
    return await call.result;
  } finally {
    if (tagCall === call) tagCall = undefined;
  }
}

function failed(err: unknown): TagRun {
  if (err instanceof TagCancelled) return { status: 'cancelled' };
  return { status: 'error', message: err instanceof Error ? err.message : String(err) };
}
