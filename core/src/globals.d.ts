/**
 * The only platform globals core may use: those that browsers, workers and
 * Node all have. Core is compiled without the DOM and Node type libraries, so
 * anything else (document, fs, Buffer, fetch) fails the typecheck here.
 */
declare const performance: { now(): number };
declare class DOMException extends Error {
  constructor(message?: string, name?: string);
}
