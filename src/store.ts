/**
 * The app's one zustand store: state and the actions that change it side by
 * side; components subscribe to the slice they need.
 */
import { create } from 'zustand';
import { EXAMPLES } from './app/examples.ts';
import type { FilingView } from './app/filingView.ts';
import { scoreFiling, sentenceWords, type FilingScore } from './app/filingScore.ts';
import {
  loadInWorker,
  onModelLoad,
  predictInWorker,
  TagCancelled,
  tagInWorker,
  type ModelChoice,
  type ModelLoadReply,
  type PredictedWords,
  type TaggerCall,
} from './workers/tagger/client.ts';
import type { BackendName, DownloadProgress, Precision, ProviderInfo, TagProgress, TagResult } from '@finer-lens/core/ner/types.ts';
import { parseInWorker } from './workers/filing/client.ts';
import { checkLanguage, type LanguageCheck } from './app/language.ts';
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

/**
 * What the Tag text screen's model is doing. `text` is the text that was
 * tagged (the text area may have changed since). A run that is cancelled
 * gives the results it replaced back (`previous`), with `cancelled` saying
 * what was cancelled: finished results are never thrown away by a cancel.
 */
export type TagRun =
  | { status: 'idle' }
  | { status: 'running'; mode: 'tag' | 'compare'; step: string; progress?: TagProgress; previous?: TagOutcome }
  | { status: 'tagged'; text: string; result: TagResult; cancelled?: string }
  | { status: 'compared'; text: string; what: CompareWhat; a: TagResult; b: TagResult; cancelled?: string }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

/** Finished results: what the screen shows below the text. */
export type TagOutcome = Extract<TagRun, { status: 'tagged' | 'compared' }>;

/** Tag or Compare was pressed on text that does not look like English: nothing is tagged until the user says "Tag anyway". */
export interface LanguageGate {
  text: string;
  mode: 'tag' | 'compare';
  check: LanguageCheck;
}

export const BACKEND_NAMES: Readonly<Record<BackendName, string>> = { onnx: 'ONNX (onnxruntime-web)', hf: 'HF (transformers.js)' };

/** What Compare runs against what: the two backends at the chosen precision, or the ONNX int8 model against the fp32 one. */
export type CompareWhat = 'backends' | 'precisions';

/** The two models a comparison runs, first `a` then `b`. */
export function comparedModels(what: CompareWhat, precision: Precision, webgpu: boolean): [ModelChoice, ModelChoice] {
  return what === 'backends'
    ? [{ backend: 'onnx', precision, webgpu }, { backend: 'hf', precision, webgpu }]
    : [{ backend: 'onnx', precision: 'int8', webgpu }, { backend: 'onnx', precision: 'fp32', webgpu }];
}

/** `HF (transformers.js) int8`. */
const modelName = (m: { backend: BackendName; precision: Precision }) => `${BACKEND_NAMES[m.backend]} ${m.precision}`;

/**
 * The Filing screen's filing. A file that cannot be opened leaves the filing
 * that was open in place (`ready` with `openError`); `error` is for the
 * first file only.
 */
export type FilingState =
  | { status: 'empty' }
  | { status: 'parsing'; fileName: string; progress?: ParseProgress; previous?: ReadyFiling }
  | ReadyFiling
  | { status: 'error'; message: string };

export interface ReadyFiling {
  status: 'ready';
  view: FilingView;
  parseMillis: number;
  /** The message of a later file that could not be opened (this filing stayed). */
  openError?: string;
}

/** The model run over the opened filing's prose, scored against the filer's tags. */
export type FilingModelRun =
  | { status: 'idle' }
  | { status: 'running'; step: string; progress?: TagProgress }
  | { status: 'done'; score: FilingScore; provider: ProviderInfo; timings: PredictedWords['timings'] }
  | { status: 'cancelled' }
  | { status: 'error'; message: string };

/** The worker's latest model load, whoever asked for it (the warm-up, a Tag, a filing's run). */
export type ModelLoad =
  | { status: 'idle' }
  | { status: 'loading'; model: ModelChoice; download?: DownloadProgress }
  | { status: 'loaded'; model: ModelChoice; loadMs: number }
  | { status: 'failed'; model: ModelChoice };

/** The store's view of a model-… reply from the worker. */
export function modelLoadOf(reply: ModelLoadReply): ModelLoad {
  if (reply.type === 'model-loading') return { status: 'loading', model: reply.model, ...(reply.download ? { download: reply.download } : {}) };
  if (reply.type === 'model-loaded') return { status: 'loaded', model: reply.model, loadMs: reply.loadMs };
  return { status: 'failed', model: reply.model };
}

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
  compareWhat: CompareWhat;
  tagRun: TagRun;
  modelLoad: ModelLoad;
  languageGate?: LanguageGate;
  /** The text the user chose to tag though it does not look like English. */
  languageConfirmed?: string;
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
  setCompareWhat(what: CompareWhat): void;
  /** Tag the text area's text with the chosen backend. */
  runTag(): Promise<void>;
  /** Tag it with both models of `compareWhat` and compare their entities. */
  runCompare(): Promise<void>;
  cancelTag(): void;
  /** Load the chosen model before it is asked for, so the first Tag is quick: once, and only while nothing has run. */
  warmUp(): void;
  /** Tag (or compare) the text the language notice is about. */
  tagAnyway(): Promise<void>;
  dismissLanguageGate(): void;
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
let warmedUp = false;

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
  compareWhat: 'backends',
  tagRun: { status: 'idle' },
  modelLoad: { status: 'idle' },
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
  setTagText: (tagText) => set(get().languageGate && get().languageGate!.text !== tagText ? { tagText, languageGate: undefined } : { tagText }),
  setBackend: (backend) => set({ backend }),
  setPrecision: (precision) => set({ precision }),
  setWebgpu: (webgpu) => set({ webgpu }),
  setCompareWhat: (compareWhat) => set({ compareWhat }),

  runTag: async () => {
    const { tagText: text, backend, precision, webgpu } = get();
    const empty = emptyTextMessage(text);
    if (empty) return set({ tagRun: { status: 'error', message: empty } });
    if (heldForLanguage(text, 'tag', get, set)) return;
    tagCall?.cancel(); // a newer request replaces a running one
    const request = ++tagRequest;
    const model: ModelChoice = { backend, precision, webgpu };
    const current = () => request === tagRequest;
    const previous = shownOutcome(get().tagRun);
    set({ tagRun: { status: 'running', mode: 'tag', step: `Tagging with ${BACKEND_NAMES[backend]}…`, previous } });
    try {
      const result = await track(model, text, { mode: 'tag', previous, current }, set);
      if (current()) set({ tagRun: { status: 'tagged', text, result } });
    } catch (err) {
      if (current()) set({ tagRun: failed(err, previous, `Tagging with ${BACKEND_NAMES[backend]} was cancelled`) });
    }
  },

  runCompare: async () => {
    const { tagText: text, precision, webgpu, compareWhat: what } = get();
    const empty = emptyTextMessage(text);
    if (empty) return set({ tagRun: { status: 'error', message: empty } });
    if (heldForLanguage(text, 'compare', get, set)) return;
    tagCall?.cancel();
    const request = ++tagRequest;
    const current = () => request === tagRequest;
    const previous = shownOutcome(get().tagRun);
    const models = comparedModels(what, precision, webgpu);
    const results: TagResult[] = [];
    try {
      for (const model of models) {
        if (!current()) return;
        set({ tagRun: { status: 'running', mode: 'compare', step: `Compare: tagging with ${modelName(model)}…`, previous } });
        results.push(await track(model, text, { mode: 'compare', previous, current }, set));
      }
      const [a, b] = results as [TagResult, TagResult];
      if (current()) set({ tagRun: { status: 'compared', text, what, a, b } }); // the screen compares what it shows (confidence, hidden types)
    } catch (err) {
      if (!current()) return;
      const cancelled = `The comparison was cancelled while tagging with ${modelName(models[results.length]!)}`;
      // the first model had finished on this very text: its result is newer than anything shown before
      const kept: TagOutcome | undefined = results[0] ? { status: 'tagged', text, result: results[0] } : previous;
      set({ tagRun: failed(err, kept, cancelled) });
    }
  },

  cancelTag: () => {
    tagCall?.cancel();
  },

  warmUp: () => {
    const { tagRun, filingModel, backend, precision, webgpu } = get();
    if (warmedUp || tagRun.status !== 'idle' || filingModel.status !== 'idle') return; // a run loads its model itself
    warmedUp = true;
    loadInWorker({ backend, precision, webgpu });
  },

  tagAnyway: async () => {
    const gate = get().languageGate;
    if (!gate) return;
    set({ languageGate: undefined, languageConfirmed: gate.text });
    if (get().tagText !== gate.text) return; // the text changed under the notice: the next Tag checks it afresh
    await (gate.mode === 'tag' ? get().runTag() : get().runCompare());
  },

  dismissLanguageGate: () => set({ languageGate: undefined }),

  openFiling: async (file) => {
    const request = ++openRequest;
    const current = get().filing;
    // the filing on the page stays there until another one is ready
    const shown = current.status === 'ready' ? withoutOpenError(current) : current.status === 'parsing' ? current.previous : undefined;
    const parsing = (progress?: ParseProgress): FilingState => ({ status: 'parsing', fileName: file.name, progress, previous: shown });
    set({ filing: parsing() });
    try {
      const { view, millis } = await parseInWorker(file, (progress) => {
        if (request === openRequest) set({ filing: parsing(progress) });
      });
      if (request !== openRequest) return;
      filingCall?.cancel(); // a model run over the filing it replaces
      filingRequest++;
      set({ filing: { status: 'ready', view, parseMillis: millis }, sentenceFilter: '', filingModel: { status: 'idle' } });
    } catch (err) {
      if (request !== openRequest) return;
      const message = err instanceof Error ? err.message : String(err);
      set({ filing: shown ? { ...shown, openError: message } : { status: 'error', message } });
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

onModelLoad((reply) => useAppStore.setState({ modelLoad: modelLoadOf(reply) }));

type SetState = (partial: Partial<AppState>) => void;

type GetState = () => AppState;

/** Which run a worker call belongs to: its mode, the results it replaces, and whether it is still the latest. */
interface RunContext {
  mode: 'tag' | 'compare';
  previous: TagOutcome | undefined;
  current: () => boolean;
}

/** One worker call whose loading and progress show in the store while `current()`. */
async function track(model: ModelChoice, text: string, { mode, previous, current }: RunContext, set: SetState): Promise<TagResult> {
  const name = BACKEND_NAMES[model.backend];
  const prefix = mode === 'compare' ? 'Compare: ' : '';
  const running = (step: string, progress?: TagProgress): TagRun => ({ status: 'running', mode, step, progress, previous });
  const call = tagInWorker(model, text, {
    onLoading: () => current() && set({ tagRun: running(`${prefix}loading the model for ${name} (${model.precision})…`) }),
    onProgress: (progress) => current() && set({ tagRun: running(`${prefix}tagging with ${name}…`, progress) }),
  });
  tagCall = call;
  try {
    return await call.result;
  } finally {
    if (tagCall === call) tagCall = undefined;
  }
}

/** A run that ended without results: a cancel gives back the results it replaced (`kept`), saying what was cancelled. */
function failed(err: unknown, kept: TagOutcome | undefined, cancelled: string): TagRun {
  if (err instanceof TagCancelled) return kept ? { ...kept, cancelled } : { status: 'cancelled' };
  return { status: 'error', message: err instanceof Error ? err.message : String(err) };
}

/** The finished results on the screen, or those a running call replaces. */
function shownOutcome(run: TagRun): TagOutcome | undefined {
  if (run.status === 'tagged' || run.status === 'compared') {
    const { cancelled: _, ...outcome } = run;
    return outcome;
  }
  return run.status === 'running' ? run.previous : undefined;
}

function withoutOpenError(filing: ReadyFiling): ReadyFiling {
  const { openError: _, ...rest } = filing;
  return rest;
}

/**
 * Text that does not look like English is not tagged at once: the language
 * notice shows, and "Tag anyway" (`tagAnyway`) tags it. True when held.
 */
function heldForLanguage(text: string, mode: 'tag' | 'compare', get: GetState, set: SetState): boolean {
  if (get().languageConfirmed === text) return false;
  const check = checkLanguage(text);
  if (check.english) {
    if (get().languageGate) set({ languageGate: undefined });
    return false;
  }
  set({ languageGate: { text, mode, check } });
  return true;
}

/**
 * Why the results shown are not those of the text and model chosen now, or
 * undefined: a cancelled run that gave them back, or another backend or
 * precision chosen since. (The text area changing is said by the screen.)
 */
export function resultNote(run: TagRun, chosen: { tagText: string; backend: BackendName; precision: Precision }): string | undefined {
  if (run.status !== 'tagged' && run.status !== 'compared') return undefined;
  const ran = run.status === 'tagged' ? run.result.provider : run.a.provider;
  const what =
    run.status === 'tagged' ? modelName(ran) : run.what === 'backends' ? `both backends at ${ran.precision}` : `${BACKEND_NAMES[ran.backend]} int8 and fp32`;
  // a comparison of precisions ran both: no choice of backend or precision makes it stale
  const stale = run.status === 'tagged' ? ran.backend !== chosen.backend || ran.precision !== chosen.precision : run.what === 'backends' && ran.precision !== chosen.precision;
  const changed = run.text === chosen.tagText && stale ? `${modelName(chosen)} is chosen now; press Tag to tag the text with it.` : '';
  if (run.cancelled) return `${run.cancelled}: the results below are the earlier ones, from ${what}.${changed && ` ${changed}`}`;
  return changed ? `The results below are from ${what}; ${changed}` : undefined;
}
